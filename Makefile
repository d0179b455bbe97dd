# The README's commands. Each creates .venv on first use (and again when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: test serve bench lint typecheck unit clean ecosystem ecosystem-lock clean-ecosystem

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n auto -q

test: lint typecheck unit

serve: $(STAMP)
	$(BIN)/fakeclaude serve --host $(HOST) --port $(PORT)

# The benchmark table (benchmarks/RESULTS.md): every ratio in one run, then the soak and xdist scaling sections;
# BENCH_ARGS=--quick for a shorter one, BENCH_ARGS="--only soak" (calls|loopback|tests|imports|soak|scaling) for some.
# The alternatives install themselves into benchmarks/.envs/ on first use. Not part of `make test`.
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV)

# The ecosystem check (ecosystem/README.md): real clients, each in its own environment installed from
# its lock file, against `fakeclaude serve`; writes ecosystem/RESULTS.md and the README's table.
# Not part of `make test`. ECOSYSTEM_ARGS passes options, e.g. ECOSYSTEM_ARGS="--clients litellm".
ECO := ecosystem
ECO_CLIENTS := $(basename $(notdir $(wildcard $(ECO)/requirements/*.in)))
ECO_STAMPS := $(foreach c,$(ECO_CLIENTS),$(ECO)/.venvs/$(c)/.installed-stamp)
ECO_NODE_STAMP := $(ECO)/node_modules/.installed-stamp

$(ECO)/.venvs/%/.installed-stamp: $(ECO)/requirements/%.txt
	rm -rf $(ECO)/.venvs/$*
	$(PYTHON) -m venv $(ECO)/.venvs/$*
	$(ECO)/.venvs/$*/bin/python -m pip install --quiet --upgrade pip
	$(ECO)/.venvs/$*/bin/python -m pip install --quiet -r $<
	touch $@

$(ECO_NODE_STAMP): $(ECO)/package.json $(ECO)/package-lock.json
	command -v npm >/dev/null || { apt-get update && apt-get install -y --no-install-recommends nodejs npm; }
	cd $(ECO) && npm ci --no-audit --no-fund
	touch $@

ecosystem: $(STAMP) $(ECO_STAMPS) $(ECO_NODE_STAMP)
	$(BIN)/python -m ecosystem.harness $(ECOSYSTEM_ARGS)

# Re-resolve every client's lock file from its requirements/<client>.in (newest versions), in a scratch venv.
ecosystem-lock:
	set -e; for c in $(ECO_CLIENTS); do \
	  rm -rf $(ECO)/.venvs/lock-$$c; $(PYTHON) -m venv $(ECO)/.venvs/lock-$$c; \
	  $(ECO)/.venvs/lock-$$c/bin/python -m pip install --quiet --upgrade pip; \
	  $(ECO)/.venvs/lock-$$c/bin/python -m pip install --quiet -r $(ECO)/requirements/$$c.in; \
	  { echo "# Locked by \`make ecosystem-lock\` from requirements/$$c.in: the versions the ecosystem check ran with."; \
	    $(ECO)/.venvs/lock-$$c/bin/python -m pip freeze; } > $(ECO)/requirements/$$c.txt; \
	  rm -rf $(ECO)/.venvs/lock-$$c; \
	done

clean-ecosystem:
	rm -rf $(ECO)/.venvs $(ECO)/node_modules $(ECO)/.logs
