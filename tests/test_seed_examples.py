"""Every usage example of the seed runs unchanged, with fakeclaude's client and with the official SDK,
against the fake reached each of the three ways: in-process transport, ``fake.serve()``, the CLI."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anthropic
import httpx2
import pytest

import fakeclaude
from fakeclaude.server import FakeClaude

from .cli_support import fakeclaude_command
from .seed_support import SEED_EXAMPLES, seed_examples, tiny_jpeg, tiny_pdf

pytestmark = pytest.mark.skipif(not SEED_EXAMPLES.exists(), reason="../shared/seed-examples.md is absent")

KEY = "sk-ant-seed-examples"


def run_examples(module_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run every example in one namespace (later ones use the ``client`` the first made), as written."""
    (tmp_path / "image.jpg").write_bytes(tiny_jpeg())
    (tmp_path / "document.pdf").write_bytes(tiny_pdf())
    namespace: dict[str, Any] = {"__name__": "seed_examples"}
    outputs = []
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for code in seed_examples():
            source = code if module_name == "anthropic" else code.replace("from anthropic import", "from fakeclaude import")
            exec(compile(source, "seed-example", "exec"), namespace)
            outputs.append(capsys.readouterr().out)
    finally:
        os.chdir(cwd)
    assert namespace["message"].content, "the last example got an empty answer"
    assert isinstance(namespace["result"], str) and namespace["result"]
    return outputs


@pytest.mark.parametrize("module_name", ["fakeclaude", "anthropic"])
@pytest.mark.parametrize("way", ["transport", "serve", "cli"])
def test_seed_examples_run_unchanged(
    way: str, module_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    fake = FakeClaude(seed=5)
    module: Any = fakeclaude if module_name == "fakeclaude" else anthropic
    with contextlib.ExitStack() as stack:
        if way == "transport":
            monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://fakeclaude.local")
            transport = fake.httpx2_transport()
            sync_cls, async_cls = module.Anthropic, module.AsyncAnthropic

            def sync_factory(*args: Any, **kwargs: Any) -> Any:
                kwargs.setdefault("http_client", httpx2.Client(transport=transport))
                return sync_cls(*args, **kwargs)

            def async_factory(*args: Any, **kwargs: Any) -> Any:
                kwargs.setdefault("http_client", httpx2.AsyncClient(transport=transport))
                return async_cls(*args, **kwargs)

            patched: dict[str, Callable[..., Any]] = {"Anthropic": sync_factory, "AsyncAnthropic": async_factory}
            for name, factory in patched.items():
                monkeypatch.setattr(module, name, factory)
        elif way == "serve":
            monkeypatch.setenv("ANTHROPIC_BASE_URL", stack.enter_context(fake.serve()))
        else:
            monkeypatch.setenv("ANTHROPIC_BASE_URL", stack.enter_context(fakeclaude_command("serve")))
        outputs = run_examples(module_name, tmp_path, capsys)
    assert outputs[0].strip(), "the first example prints the answer"
    assert outputs[5].startswith("Input tokens: ")
    assert len(outputs[6]) > 20, "the streamed story was printed"
    if way != "cli":
        sent = [r for r in fake.requests if r.path == "/v1/messages"]
        assert len(sent) >= 10 and all(r.status == 200 for r in fake.requests)
        assert any(r.headers.get("x-stainless-helper-method") == "stream" for r in sent)
