"""Seeds, ids, prose and thinking signatures of fakeclaude.server.generation."""

from __future__ import annotations

import ast
import base64
import concurrent.futures
import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fakeclaude.server.generation as generation
from fakeclaude.server.generation import (
    IdFactory,
    generate_text,
    generate_thinking,
    redacted_thinking_data,
    request_seed,
    sign_thinking,
    verify_signature,
)
from fakeclaude.server.generation._ids import _make

B58 = "[1-9A-HJ-NP-Za-km-z]"
ID_PATTERNS = {
    "msg": rf"^msg_011C{B58}{{20}}$",
    "req": rf"^req_011C{B58}{{20}}$",
    "toolu": rf"^toolu_01{B58}{{22}}$",
    "srvtoolu": rf"^srvtoolu_01{B58}{{22}}$",
    "msgbatch": rf"^msgbatch_01{B58}{{22}}$",
    "file": rf"^file_011C{B58}{{20}}$",
}
BODY = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 256,
    "messages": [{"role": "user", "content": "What's the weather in Paris?"}],
}


def test_generation_package_is_pure() -> None:
    """No HTTP library, no wall clock, no global random state in the package's source."""
    package = Path(generation.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not any(n.split(".")[0] in ("aiohttp", "httpx", "httpx2", "time") for n in names), path
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) not in {
                    ("random", "random"), ("random", "choice"), ("random", "randint"), ("random", "seed"),
                    ("datetime", "now"), ("date", "today"), ("datetime", "utcnow"), ("time", "time"),
                }, (path, node.value.id, node.attr)


# -- request_seed -------------------------------------------------------------------------------
def test_request_seed_is_stable_64_bit_and_ignores_key_order() -> None:
    a = request_seed(7, BODY)
    assert 0 <= a < 2**64
    assert a == request_seed(7, dict(reversed(list(BODY.items()))))
    assert request_seed(8, BODY) != a
    assert request_seed(7, {**BODY, "max_tokens": 257}) != a


def test_request_seed_ignores_stream_and_metadata_only() -> None:
    a = request_seed(1, BODY)
    assert request_seed(1, {**BODY, "stream": True}) == a
    assert request_seed(1, {**BODY, "metadata": {"user_id": "u-1"}}) == a
    assert request_seed(1, {**BODY, "system": "Be brief."}) != a
    nested = {**BODY, "messages": [{"role": "user", "content": "x", "metadata": 1}]}
    assert request_seed(1, nested) != request_seed(1, {**BODY, "messages": [{"role": "user", "content": "x"}]})


def test_request_seed_known_value() -> None:
    """Pinned: a change here changes every recorded fake answer (hashlib, not hash())."""
    assert request_seed(0, {"model": "m"}) == request_seed(0, {"model": "m", "stream": False})
    assert request_seed(0, {"model": "m"}) == 3739090197461091077


# -- ids ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("prefix", sorted(ID_PATTERNS))
def test_ids_match_the_recorded_formats(prefix: str) -> None:
    factory = IdFactory(3)
    ids = [factory.new(prefix) for _ in range(300)]
    assert all(re.match(ID_PATTERNS[prefix], i) for i in ids), ids[:3]
    assert len(set(ids)) == len(ids)
    assert re.match(ID_PATTERNS[prefix], factory.derived(prefix, "abc"))


def test_id_sequences_are_deterministic_per_prefix() -> None:
    a, b = IdFactory(11), IdFactory(11)
    seq_a = [a.new("msg"), a.new("toolu"), a.new("msg")]
    seq_b = [b.new("msg"), b.new("msg"), b.new("toolu")]
    assert seq_a[0] == seq_b[0] and seq_a[2] == seq_b[1] and seq_a[1] == seq_b[2]
    assert IdFactory(12).new("msg") != seq_a[0]
    assert a.new("msg_") not in seq_a  # "msg_" and "msg" share one counter


def test_ids_minted_ahead_are_the_ids_of_their_place_in_the_sequence() -> None:
    """Ids are minted in batches (1, 2, 4, ... up to 64 at once) and handed out one at a time: the n-th id of a
    name is its own digest whatever the batch, shared by "msg" and "msg_", and issued() counts handed-out ids."""
    factory = IdFactory(21)
    ids = [factory.new("msg" if i % 3 else "msg_") for i in range(300)]
    assert ids == [_make("msg", ("id.new", 21, "msg", i)) for i in range(300)]
    assert factory.issued() == 300
    threaded = IdFactory(21)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(lambda _: threaded.new("msg"), range(300))) == sorted(ids)
    assert threaded.issued() == 300


def test_threads_switching_every_microsecond_get_each_id_once() -> None:
    """The next id is taken without the lock (``list.pop`` is atomic); running out is settled under it."""
    factory, interval = IdFactory(5), sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            got = list(pool.map(lambda i: factory.new("toolu" if i % 2 else "toolu_"), range(4000)))
    finally:
        sys.setswitchinterval(interval)
    assert sorted(got) == sorted(_make("toolu", ("id.new", 5, "toolu", i)) for i in range(4000))
    assert factory.issued() == 4000


def test_derived_ids_are_pure_and_disjoint_from_new() -> None:
    factory = IdFactory(5)
    assert factory.derived("toolu", "x") == IdFactory(5).derived("toolu", "x")
    assert factory.derived("toolu", 0) != factory.derived("toolu", "0") != factory.derived("toolu", b"0")
    assert factory.derived("toolu", 0) != IdFactory(5).new("toolu")
    assert factory.derived("toolu", 1) != IdFactory(6).derived("toolu", 1)
    with pytest.raises(ValueError):
        factory.new("bad prefix!")


# -- text --------------------------------------------------------------------------------------
@given(seed=st.integers(0, 2**64 - 1), prompt=st.none() | st.text(max_size=200),
       bounds=st.tuples(st.integers(1, 80), st.integers(0, 80)))
@settings(max_examples=300, deadline=None)
def test_text_is_nonempty_trimmed_within_bounds_and_deterministic(
    seed: int, prompt: str | None, bounds: tuple[int, int]
) -> None:
    low, extra = bounds
    text = generate_text(seed, prompt=prompt, min_words=low, max_words=low + extra)
    assert text and text == text.rstrip() and text == text.strip()
    assert low <= len(text.split()) <= low + extra
    assert text == generate_text(seed, prompt=prompt, min_words=low, max_words=low + extra)


def test_text_differs_across_seeds_and_reuses_prompt_words() -> None:
    texts = {generate_text(s) for s in range(50)}
    assert len(texts) >= 48
    prompt = "Tell me about volcanoes and glaciers in Iceland"
    hits = sum(any(w in generate_text(s, prompt=prompt) for w in ("volcanoes", "glaciers", "Iceland"))
               for s in range(40))
    assert hits >= 36


def test_text_rejects_bad_bounds() -> None:
    with pytest.raises(ValueError):
        generate_text(1, min_words=0)
    with pytest.raises(ValueError):
        generate_text(1, min_words=5, max_words=4)


def test_text_does_not_touch_global_random_state() -> None:
    random.seed(99)
    expected = random.random()
    random.seed(99)
    generate_text(1, prompt="hello there")
    generate_thinking(2)
    assert random.random() == expected


# -- thinking ----------------------------------------------------------------------------------
@given(seed=st.integers(0, 2**64 - 1), prompt=st.none() | st.text(max_size=80))
@settings(max_examples=100, deadline=None)
def test_thinking_signature_verifies_and_detects_tampering(seed: int, prompt: str | None) -> None:
    thinking, signature = generate_thinking(seed, prompt=prompt)
    assert thinking and thinking == thinking.strip()
    assert (thinking, signature) == generate_thinking(seed, prompt=prompt)
    assert verify_signature(thinking, signature, seed)
    assert not verify_signature(thinking + ".", signature, seed)
    assert not verify_signature(thinking.replace(thinking[0], "#", 1), signature, seed)
    assert not verify_signature(thinking, signature, seed + 1)
    flipped = ("F" if signature[10] != "F" else "G").join((signature[:10], signature[11:]))
    assert not verify_signature(thinking, flipped, seed)
    assert not verify_signature(thinking, signature[:-4], seed)


def test_thinking_signature_looks_like_the_real_ones() -> None:
    thinking, signature = generate_thinking(1, prompt="Why is the sky blue?")
    raw = base64.b64decode(signature, validate=True)
    assert signature.startswith("E") and 200 <= len(signature) <= 3000
    assert raw[0] == 0x12  # protobuf field 2, length-delimited, like recorded signatures
    longer = sign_thinking(thinking * 20, 1)
    assert len(longer) > len(signature)


def test_thinking_with_an_engine_secret() -> None:
    thinking, signature = generate_thinking(10, secret_seed=999)
    assert verify_signature(thinking, signature, 999)
    assert not verify_signature(thinking, signature, 10)
    assert verify_signature("", sign_thinking("", 999), 999)  # display: "omitted"
    assert not verify_signature(thinking, 12345, 999)  # type: ignore[arg-type]


def test_redacted_thinking_data() -> None:
    data = redacted_thinking_data(4)
    assert data == redacted_thinking_data(4) != redacted_thinking_data(5)
    assert data.startswith("E") and len(base64.b64decode(data, validate=True)) >= 180


# -- determinism across processes ----------------------------------------------------------------
_PROBE = """
import json
import fakeclaude.server.generation as g
seed = g.request_seed(3, {"model": "m", "messages": [{"role": "user", "content": "Weather in Oslo?"}]})
tool = {"name": "w", "input_schema": {"type": "object", "required": ["location", "tags", "email"],
        "properties": {"location": {"type": "string"}, "tags": {"type": "array", "uniqueItems": True,
        "items": {"type": "string"}}, "email": {"type": "string", "format": "email"}}}}
print(json.dumps([seed, g.generate_text(seed, prompt="Weather in Oslo?"), g.generate_tool_input(tool, seed),
                  g.generate_thinking(seed), g.IdFactory(seed).new("msg"), g.redacted_thinking_data(seed)]))
"""


def test_outputs_do_not_depend_on_hash_randomisation_or_process() -> None:
    import os
    import subprocess
    import sys

    outputs = set()
    for hash_seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
