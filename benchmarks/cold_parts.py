"""``python -m benchmarks.cold_parts [ROUNDS]``: what each part of the fake's work costs between two SDK calls.

``benchmarks.cold_cache`` shows that the fake's work costs several times its tight-loop time when it runs
between two SDK calls (its code and objects are out of the CPU's caches again by then). This splits that
work: the floor (the SDK on ``httpx2.MockTransport`` serving the fake's own bytes and headers), the fake
itself (its scripted handler, as the table's scripted row), and the floor with one part of the fake's work
added inside its transport on every call, on the request the SDK sends:

- the transport step (the SDK's request as the engine takes it);
- the engine's whole answer (transport step, engine, log), thrown away;
- two ids (the request's and the message's);
- the rate limiter's step for an answered request (its twelve headers);
- one log entry;
- the analysis memo's lookup of the body;
- the script consulted (the handler called on the request).

One process, every case in interleaved rounds of 50 calls, on the CPU clock; each figure is the median over
the rounds of the case's µs per call and of its paired difference to the floor. The parts' figures are for
finding what to work on: they do not add up to the whole exactly (each part alone finds less of the
caches taken than all of them together), and they run in one process with the others, whose caches and memory
they share: a part that looks 5-10 µs cheaper here may gain 1-3 µs in a process of its own. Check a change
with ``benchmarks.compare_revisions`` before believing it. Not run by ``make bench``; a run of 60 rounds takes
about a minute.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

from benchmarks.cases import PARAMS, _sdk

BATCH = 50
TEXT = "A scripted answer of a few words."


def _clients() -> dict[str, Any]:
    import httpx2

    from fakeclaude.server import FakeClaude, Reply
    from fakeclaude.server._frozen import JsonBytes
    from fakeclaude.server.script import ParsedRequest

    def fake() -> Any:
        made = FakeClaude(seed=0)
        made.handler(lambda request: Reply([TEXT]))
        return made

    def sdk(transport: Any) -> Any:
        return _sdk(base_url="http://fake", http_client=httpx2.Client(transport=transport))

    probe = fake().httpx2_transport()
    seen: list[Any] = []

    def capture(request: Any) -> Any:
        response = probe.handle_request(request)
        response.read()
        seen.append((request, response))
        return response

    sdk(httpx2.MockTransport(capture)).messages.create(**PARAMS)
    request, answer = seen[0]
    headers, content = list(answer.headers.multi_items()), answer.content

    def floor_plus(work: Callable[[], object]) -> Any:
        return sdk(httpx2.MockTransport(lambda r: (work(), httpx2.Response(200, headers=headers, content=content))[1]))

    def engine() -> tuple[Any, Any, Any]:
        transport = fake().httpx2_transport()
        return transport, transport.engine, transport.http_request(request)

    t1, _, _ = engine()
    t2, e2, _ = engine()
    _, e3, _ = engine()
    _, e4, _ = engine()
    _, e5, h5 = engine()
    _, e6, h6 = engine()
    _, e7, h7 = engine()
    version, betas = "2023-06-01", frozenset[str]()
    return {
        "floor: SDK on httpx2.MockTransport (the fake's bytes)": floor_plus(lambda: None),
        "fakeclaude in-process (scripted handler)": sdk(fake().httpx2_transport()),
        "the floor + the transport step": floor_plus(lambda: t1.http_request(request)),
        "the floor + the engine's whole answer": floor_plus(lambda: e2.handle(t2.http_request(request))),
        "the floor + two ids": floor_plus(lambda: (e3._ids.new("req"), e3._ids.new("msg"))),
        "the floor + the rate limiter's step": floor_plus(lambda: e4.limiter.finish("key", 10, 20)),
        "the floor + one log entry": floor_plus(lambda: e5.requests.add(
            "POST", "/v1/messages", {}, h5.headers, JsonBytes(h5.body), "req_1", 200, None, True, False,
            content + b"", len(h5.body))),
        "the floor + the memo's lookup": floor_plus(lambda: e6._memo.get(e6._memo.key(h6.body, version, betas))),
        "the floor + the script consulted": floor_plus(
            lambda: e7.script.next_outcome(ParsedRequest.message(JsonBytes(h7.body), h7.headers))),
    }


def measure(rounds: int) -> list[tuple[str, float, float]]:
    """``(case, median µs per call, median µs over the floor)`` for every case, ``rounds`` rounds."""
    warnings.simplefilter("ignore")  # the SDK's deprecation warning for the benchmark's model
    clients = _clients()
    for client in clients.values():
        for _ in range(200):
            client.messages.create(**PARAMS)
    times: dict[str, list[float]] = {label: [] for label in clients}
    for _ in range(rounds):
        for label, client in clients.items():
            create = client.messages.create
            start = time.process_time()
            for _ in range(BATCH):
                create(**PARAMS)
            times[label].append((time.process_time() - start) / BATCH * 1e6)
    floor = next(iter(times.values()))
    return [(label, statistics.median(values), statistics.median([a - b for a, b in zip(values, floor, strict=True)]))
            for label, values in times.items()]


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 60
    print(f"| case ({rounds} rounds of {BATCH} calls) | median µs per call | µs over the floor |")
    print("| --- | ---: | ---: |")
    for label, median, over in measure(rounds):
        print(f"| {label} | {median:,.0f} | {over:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
