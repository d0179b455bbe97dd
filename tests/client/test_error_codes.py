"""The classes chosen by ``error.details.error_code``: the same as the official SDK's, for every code it knows,
exported where it exports them, and raised for the codes the fake itself answers."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any

import anthropic
import httpx2
import pytest
from anthropic._error_classes import ERROR_CLASSES

import fakeclaude
from fakeclaude._error_codes import BY_CODE, SDK_VERSION
from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.control import ControlApi
from fakeclaude.server.http import HttpReply, HttpRequest

MODEL = "claude-sonnet-4-5"
PARAMS: dict[str, Any] = {"model": MODEL, "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]}
SDK_CODES = {pair: cls for pair, cls in ERROR_CLASSES.items() if pair[1] is not None}
SDK_IS_NEWER = tuple(int(part) for part in anthropic.__version__.split(".")[:2]) > SDK_VERSION


def _lineage(cls: type) -> list[str]:
    """The class names from ``cls`` up to ``APIStatusError``."""
    names = [c.__name__ for c in cls.__mro__]
    return names[: names.index("APIStatusError") + 1]


def _raised(module: Any, answer: Callable[[httpx2.Request], httpx2.Response]) -> type:
    client = module.Anthropic(api_key="k", max_retries=0, http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))
    with pytest.raises(module.APIStatusError) as info:
        client.messages.create(**PARAMS)
    return type(info.value)


def test_every_code_the_sdk_knows_raises_the_same_class() -> None:
    """For each ``(status, error_code)`` of the SDK's table, ours raises a class of the same name and lineage."""
    unknown = sorted(str(code) for status, code in SDK_CODES if (status, code) not in BY_CODE)
    if unknown and not SDK_IS_NEWER:
        pytest.fail(f"codes anthropic {anthropic.__version__} maps that fakeclaude does not: {unknown}")
    different = []
    for (status, code), cls in SDK_CODES.items():
        if (status, code) not in BY_CODE:
            continue  # newer than the table (the skip below names them)

        def answer(request: httpx2.Request, status: int = status, code: str | None = code) -> httpx2.Response:
            return httpx2.Response(status, json={"type": "error", "error": {
                "type": "invalid_request_error", "message": "m", "details": {"error_code": code}}})

        theirs, ours = _raised(anthropic, answer), _raised(fakeclaude, answer)
        if _lineage(theirs) != _lineage(ours) or _lineage(theirs)[0] != cls.__name__:
            different.append((status, code, _lineage(theirs), _lineage(ours)))
    assert different == []
    assert len(BY_CODE) >= 139
    if unknown:
        pytest.skip(f"anthropic {anthropic.__version__} is newer than the table ({SDK_VERSION}) and maps codes "
                    f"fakeclaude does not yet: {unknown}")


@pytest.mark.parametrize(("theirs", "ours"), [
    ("anthropic", "fakeclaude"), ("anthropic.types", "fakeclaude.types"), ("anthropic.types.beta", "fakeclaude.types.beta")])
def test_the_code_classes_are_exported_where_the_sdk_exports_them(theirs: str, ours: str) -> None:
    sdk, module = importlib.import_module(theirs), importlib.import_module(ours)
    ours_by_name = {cls.__name__: cls for cls in BY_CODE.values()}
    exported = sorted(cls.__name__ for cls in SDK_CODES.values()
                      if getattr(sdk, cls.__name__, None) is cls and cls.__name__ in ours_by_name)
    assert exported, "the SDK exports none of them here"
    missing = [name for name in exported if getattr(module, name, None) is not ours_by_name[name]]
    assert missing == []
    assert set(exported) <= set(module.__all__)


def _downloaded_upload(client: Any, fake: FakeClaude) -> None:
    uploaded = client.files.upload(file=("notes.txt", b"plain words", "text/plain"))
    client.files.download(uploaded.id)


def _downloaded_expired(client: Any, fake: FakeClaude) -> None:
    made = fake.files.create(b"x", filename="o.txt", mime_type="text/plain", downloadable=True, expires_in_seconds=60)
    fake.advance(60)
    client.files.download(made["id"])


def _misplaced_compaction(client: Any, fake: FakeClaude) -> None:
    client.messages.create(**{**PARAMS, "messages": [{"role": "user", "content": [{"type": "compaction", "content": "S"}]}]})


def _nothing_to_summarize(client: Any, fake: FakeClaude) -> None:
    client.beta.messages.create(model=MODEL, max_tokens=16, betas=["compact-2026-09-04"], compaction={"type": "summarize"},
                                messages=[{"role": "assistant", "content": [{"type": "compaction", "content": "S"}]}])


@pytest.mark.parametrize(("send", "expected"), [
    (_downloaded_upload, "FileNotDownloadableError"),
    (_downloaded_expired, "FileExpiredError"),
    (_misplaced_compaction, "CompactionBlockMisplacedError"),
    (_nothing_to_summarize, "CompactionNothingToSummarizeError"),
])
def test_the_fakes_own_error_codes_raise_the_sdks_classes(send: Callable[[Any, FakeClaude], None], expected: str) -> None:
    """What the official SDK raises on the fake's answer, ours raises too (before, ours raised the status's class)."""
    raised = []
    for module in (anthropic, fakeclaude):
        fake = FakeClaude(seed=1, clock=FakeClock())
        client: Any = module.Anthropic(api_key="k", base_url="http://fake", max_retries=0,
                                       http_client=httpx2.Client(transport=fake.httpx2_transport()))
        with pytest.raises(module.APIStatusError) as info:
            send(client, fake)
        raised.append(_lineage(type(info.value)))
    assert raised[0] == raised[1] and raised[0][0] == expected
    assert isinstance(info.value, getattr(fakeclaude.types, expected))



@pytest.mark.parametrize(("status", "code", "expected"), [
    (429, "enforced_spend_limit_reached", "EnforcedSpendLimitReachedError"),
    (529, "compaction_unavailable", "CompactionUnavailableError"),
    (400, "image_dimensions_too_large", "ImageDimensionsTooLargeError"),
])
def test_a_scripted_error_code_raises_its_class(status: int, code: str, expected: str) -> None:
    """``fake.error(status, error_code=...)``, ``fake.on(...).error(..., details=...)`` and the control API's
    ``"error_code"`` put the code in ``error.details``: both clients raise its class."""
    fake = FakeClaude(seed=1, clock=FakeClock())
    control = ControlApi(fake)  # what ``fakeclaude serve`` answers under /_fakeclaude/

    def script(error: dict[str, Any]) -> HttpReply:
        return control.handle(HttpRequest("POST", "/_fakeclaude/script", {}, {}, json.dumps({"error": error}).encode()))

    for module in (anthropic, fakeclaude):
        client: Any = module.Anthropic(api_key="k", base_url="http://fake", max_retries=0,
                                       http_client=httpx2.Client(transport=fake.httpx2_transport()))
        fake.error(status, error_code=code)
        fake.on(last_user_text="again").error(status, error_code=code, details={"limit": 5})
        assert script({"status": status, "error_code": code}).status == 200
        raised = []
        for text in ("Hi", "Hi", "again"):
            with pytest.raises(module.APIStatusError) as info:
                client.messages.create(**{**PARAMS, "messages": [{"role": "user", "content": text}]})
            raised.append((type(info.value).__name__, info.value.body["error"]["details"]))
        assert raised == [(expected, {"error_code": code})] * 2 + [(expected, {"error_code": code, "limit": 5})]
        fake.reset()
    refused = script({"status": 429, "error_code": 7})
    assert refused.status == 400 and b"error.error_code" in refused.body
