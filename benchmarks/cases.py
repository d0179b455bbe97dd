"""What each benchmark case does per call, run inside a worker process (``benchmarks.worker``).

A case is ``build(options) -> run(n)``: ``build`` prepares a client (and whatever mock, cassette or
server connection it needs, untimed) and ``run(n)`` makes ``n`` calls with the official ``anthropic``
SDK and checks the last answer. Every case sends the same request, :data:`PARAMS`, and gets the same
text back: the fake's generated answer to it, which the canned alternatives serve byte for byte
(``options["canned"]``, a folder the harness fills from the fake before anything is timed).

Only the standard library is imported at module level: a case runs in its tool's own environment
(``benchmarks/.envs/NAME``), where ``fakeclaude`` or ``aiohttp`` may not be installed.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["CASES", "PARAMS", "Run", "canned"]

Run = Callable[[int], None]

PARAMS: dict[str, Any] = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "Write a haiku about benchmarks."}],
}
KEY = "bench-made-up-key"


def canned(folder: str | Path) -> dict[str, Any]:
    """The fake's answers that the canned alternatives serve: ``message`` / ``stream`` bytes, their headers."""
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return {"message": (folder / "message.json").read_bytes(), "stream": (folder / "stream.sse").read_bytes(),
            **meta}


def _caller(client: Any, call: str, text: str) -> Run:
    """``run(n)``: ``n`` creates (``call="create"``) or ``stream()`` + ``get_final_message()``, last one checked."""
    messages = client.messages

    if call == "stream":
        def run(n: int) -> None:
            for _ in range(n):
                with messages.stream(**PARAMS) as stream:
                    message = stream.get_final_message()
            _check(message, text)
    else:
        create = messages.create

        def run(n: int) -> None:
            for _ in range(n):
                message = create(**PARAMS)
            _check(message, text)

    return run


def _check(message: Any, text: str) -> None:
    got = message.content[0].text
    if text and got != text:
        raise AssertionError(f"unexpected answer {got[:80]!r}, expected {text[:80]!r}")


def _sdk(**kwargs: Any) -> Any:
    import anthropic

    return anthropic.Anthropic(api_key=KEY, max_retries=0, **kwargs)


def _canned_response(httpx: Any, answers: dict[str, Any], request: Any) -> Any:
    streamed = b'"stream":true' in request.content
    body, headers = (answers["stream"], answers["stream_headers"]) if streamed else \
        (answers["message"], answers["message_headers"])
    return httpx.Response(200, headers=headers, content=body)


# ----- in-process: the SDK's transport answered without a socket -------------------------------------
def floor(options: dict[str, Any]) -> Run:
    """The floor: ``httpx2.MockTransport`` returning the fake's own bytes (no routing, no checks)."""
    import httpx2

    answers = canned(options["canned"])
    transport = httpx2.MockTransport(lambda request: _canned_response(httpx2, answers, request))
    client = _sdk(base_url="http://mock", http_client=httpx2.Client(transport=transport))
    return _caller(client, options["call"], answers["text"])


def fake(options: dict[str, Any]) -> Run:
    """``FakeClaude(seed=0)`` in-process through ``fake.httpx2_transport()``: its generated answer."""
    import httpx2

    from fakeclaude.server import FakeClaude

    fake = FakeClaude(seed=0)
    client = _sdk(base_url="http://fake", http_client=httpx2.Client(transport=fake.httpx2_transport()))
    return _caller(client, options["call"], canned(options["canned"])["text"])


def fake_new_prompts(options: dict[str, Any]) -> Run:
    """The fake's generated answer to a prompt it has not seen before on every call (nothing memoised helps)."""
    import itertools

    import httpx2

    from fakeclaude.server import FakeClaude

    fake = FakeClaude(seed=0)
    create = _sdk(base_url="http://fake", http_client=httpx2.Client(transport=fake.httpx2_transport())).messages.create
    counter = itertools.count()
    content = PARAMS["messages"][0]["content"]

    def run(n: int) -> None:
        for _ in range(n):
            message = create(**{**PARAMS, "messages": [{"role": "user", "content": f"{content} Take {next(counter)}."}]})
        if not message.content[0].text:
            raise AssertionError("an empty answer")

    return run


def fake_scripted(options: dict[str, Any]) -> Run:
    """The fake answering through a scripted handler (``fake.handler(lambda r: Reply([text]))``), same text."""
    import httpx2

    from fakeclaude.server import FakeClaude, Reply

    text = canned(options["canned"])["text"]
    fake = FakeClaude(seed=0)
    fake.handler(lambda request: Reply([text]))
    client = _sdk(base_url="http://fake", http_client=httpx2.Client(transport=fake.httpx2_transport()))
    return _caller(client, options["call"], text)


def replay(options: dict[str, Any]) -> Run:
    """A fakeclaude cassette replayed (as ``@pytest.mark.claude_cassette`` does), recorded from the fake."""
    from fakeclaude.cassettes import interception, recorder
    from fakeclaude.cassettes.store import ClaudeCassette
    from fakeclaude.server import FakeClaude

    path = Path(tempfile.mkdtemp(prefix="bench-replay-")) / "ours.yaml"
    with FakeClaude(seed=0).serve() as url:
        recording = ClaudeCassette(path, record_mode="rewrite")
        interception.activate(recorder.Recorder(recording))
        try:
            _sdk(base_url=url).messages.create(**PARAMS)
        finally:
            interception.deactivate()
        recording.save()
    cassette = ClaudeCassette(path, record_mode="none", allow_playback_repeats=True)
    interception.activate(recorder.Recorder(cassette))  # stays active for this worker's life
    return _caller(_sdk(base_url=url), "create", canned(options["canned"])["text"])


def vcrpy(options: dict[str, Any]) -> Run:
    """vcrpy replaying a cassette it recorded from the minimal server (what pytest-recording runs per call)."""
    import vcr

    path = str(Path(tempfile.mkdtemp(prefix="bench-vcr-")) / "vcr.yaml")
    my_vcr = vcr.VCR(match_on=["method", "path", "body"])
    url = options["minimal_url"]
    with my_vcr.use_cassette(path, record_mode="all"):
        _sdk(base_url=url).messages.create(**PARAMS)
    context = my_vcr.use_cassette(path, record_mode="none", allow_playback_repeats=True)
    context.__enter__()  # stays active for this worker's life
    return _caller(_sdk(base_url=url), "create", canned(options["canned"])["text"])


def respx_httpx2(options: dict[str, Any]) -> Run:
    """respx routes on httpcore2, as pytest-httpx2's ``httpx2_mock`` fixture sets them up."""
    import httpx
    import pytest_httpx2._plugin  # noqa: F401  (registers respx's httpcore2 mocker)
    import respx

    answers = canned(options["canned"])
    router = respx.mock(using="httpcore2", assert_all_called=False)
    router.start()
    router.post("http://mock/v1/messages").mock(
        return_value=httpx.Response(200, headers=answers["message_headers"], content=answers["message"]))
    return _caller(_sdk(base_url="http://mock"), "create", answers["text"])


def httpx2_pytest(options: dict[str, Any]) -> Run:
    """httpx2-pytest's ``httpx2_mock`` fixture (driven outside pytest) with one reusable response."""
    import pytest
    from pytest_httpx2 import httpx2_mock

    answers = canned(options["canned"])

    class _Node:
        @staticmethod
        def iter_markers(name: str) -> list[Any]:
            return [pytest.mark.httpx2_mock(can_send_already_matched_responses=True).mark]

    class _Request:
        node = _Node()

    fixture = getattr(httpx2_mock, "_get_wrapped_function", None)
    function = fixture() if fixture is not None else httpx2_mock.__wrapped__  # type: ignore[attr-defined]
    generator = function(pytest.MonkeyPatch(), _Request())
    mock = next(generator)
    mock.add_response(url="http://mock/v1/messages", method="POST", headers=answers["message_headers"],
                      content=answers["message"], is_reusable=True)
    return _caller(_sdk(base_url="http://mock"), "create", answers["text"])


# ----- the floor plus some work per call: why time ratios sit above instruction ratios ----------------
#: Iterations of :func:`floor_simple`'s loop: about the instructions the fake adds to a call (benchmarks.instructions).
SIMPLE_ITERATIONS = 160


def _floor_plus(options: dict[str, Any], work: Callable[[], object]) -> Run:
    """The floor, with ``work()`` run inside the transport on every call (its result unused)."""
    import httpx2

    answers = canned(options["canned"])
    transport = httpx2.MockTransport(lambda request: (work(), _canned_response(httpx2, answers, request))[1])
    return _caller(_sdk(base_url="http://mock", http_client=httpx2.Client(transport=transport)), options["call"],
                   answers["text"])


def floor_simple(options: dict[str, Any]) -> Run:
    """The floor plus a small loop of dict and tuple work per call: as many instructions as the fake adds,
    over a few objects and a few lines of code that stay in the CPU's caches."""
    keys = ("a", "bb", "ccc", "dddd", "e", "ff", "ggg", "hhhh")

    def work() -> None:
        counts: dict[str, int] = {}
        for i in range(SIMPLE_ITERATIONS):
            key = keys[i & 7]
            counts[key] = counts.get(key, 0) + i

    return _floor_plus(options, work)


def captured_engine() -> tuple[Any, Any]:
    """A fresh fake's transport and the SDK's request to it, captured once: ``(httpx2 request, transport)``
    (``transport.engine.handle(transport.http_request(request))`` is the engine's work on it)."""
    import httpx2

    from fakeclaude.server import FakeClaude

    transport = FakeClaude(seed=0).httpx2_transport()
    captured: list[Any] = []
    capture = httpx2.MockTransport(lambda request: (captured.append(request), transport.handle_request(request))[1])
    _sdk(base_url="http://fake", http_client=httpx2.Client(transport=capture)).messages.create(**PARAMS)
    return captured[0], transport


def floor_engine(options: dict[str, Any]) -> Run:
    """The floor plus the fake's own work per call: its engine answering the SDK's request, captured once
    (transport step, engine, log), the answer thrown away; the SDK reads the canned bytes."""
    request, transport = captured_engine()
    return _floor_plus(options, lambda: transport.engine.handle(transport.http_request(request)))


# ----- loopback: the SDK on its default httpx2 client against a server on 127.0.0.1 -------------------
def loopback(options: dict[str, Any]) -> Run:
    """The SDK against ``options["base_url"]`` (a server the harness started); ``options["text"]`` checked."""
    client = _sdk(base_url=options["base_url"])
    return _caller(client, options["call"], options.get("text", ""))


CASES: dict[str, Callable[[dict[str, Any]], Run]] = {
    "fake": fake, "fake_new_prompts": fake_new_prompts, "fake_scripted": fake_scripted, "floor": floor,
    "floor_engine": floor_engine, "floor_simple": floor_simple, "httpx2_pytest": httpx2_pytest,
    "loopback": loopback, "replay": replay, "respx_httpx2": respx_httpx2, "vcrpy": vcrpy,
}
