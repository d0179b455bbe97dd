"""Every log and store of the fake is bounded by bytes as well as by count, so a long run stays flat.

The request log drops the bodies (and answers) of its oldest requests beyond ``max_recorded_bytes``
and says so, in ``fake.requests``, in the control API's JSON and on its page; the batch store drops
its oldest batches beyond its byte budget.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from typing import Any

from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.batches import BatchStore
from fakeclaude.server.clock import FakeClock as Clock
from fakeclaude.server.control import ControlApi
from fakeclaude.server.generation import IdFactory
from fakeclaude.server.http import HttpRequest
from fakeclaude.server.request_log import DEFAULT_MAX_RECORDED_BYTES

from .conftest import call

KIB = 1024


def _body(index: int, size: int) -> dict[str, Any]:
    text = f"Request {index}: tell me about alpha bravo charlie delta echo. " + "lorem ipsum dolor " * (size // 18)
    return {"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": text}]}


def test_the_request_log_keeps_bodies_within_its_byte_budget_and_says_which_it_dropped() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock(), max_recorded_bytes=256 * KIB)
    sizes = []
    for index in range(12):
        body = json.dumps(_body(index, 64 * KIB)).encode()
        sizes.append(len(body))
        assert call(fake, "POST", "/v1/messages", body).status == 200
    log = fake.requests
    assert len(log) == 12  # every request is still listed, with its size
    assert [r.body_size for r in log] == sizes
    kept = [r for r in log if not r.body_dropped]
    dropped = [r for r in log if r.body_dropped]
    assert dropped and kept and log[-1] in kept
    assert sum(r.body_size for r in kept) <= fake.engine.requests.kept_bytes <= 256 * KIB
    assert [r.body["messages"][0]["content"].split(":")[0] for r in kept] == [
        f"Request {i}" for i in range(12 - len(kept), 12)]
    assert all(r.body is None and r.answer is None and r.status == 200 and r.verdict == "ok" for r in dropped)
    assert all(r.headers["x-api-key"] == "sk-test" for r in dropped)  # what a test asserts on stays


def test_an_entry_read_before_its_body_is_dropped_loses_it_too_and_one_never_read_is_not_parsed() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock(), max_recorded_bytes=100 * KIB)
    first = json.dumps(_body(0, 40 * KIB)).encode()
    for _ in range(2):  # the second is a repeat: logged as its bytes, parsed when read
        call(fake, "POST", "/v1/messages", first)
    seen = fake.requests[0]
    assert seen.body["messages"] and not seen.body_dropped and fake.requests[0] is seen
    call(fake, "POST", "/v1/messages", _body(1, 60 * KIB))  # takes the room of both
    log = fake.requests
    assert [r.body_dropped for r in log] == [True, True, False]
    assert log[0].body is None and log[0].answer is None and log[0].request_id == seen.request_id
    assert vars(log[1])["body"] is None and log[1].body_size == len(first)


def test_repeats_of_a_body_log_its_bytes_once_and_their_answers_as_sent() -> None:
    # a repeat whose answer was kept logs the memo's one copy of the body and what makes its answer's bytes:
    # each entry reads as before, and weighs as much against the budget
    fake = FakeClaude(seed=1, clock=FakeClock())
    body = json.dumps(_body(0, 1 * KIB)).encode()
    sent = [call(fake, "POST", "/v1/messages", body) for _ in range(4)]
    rows = list(fake.engine.requests._entries)
    assert rows[2][4] is rows[3][4] == body  # the body's bytes, shared
    assert not isinstance(rows[3][10], bytes)  # the answer's, made when read
    log = fake.requests
    assert [r.reply_body for r in log[1:]] == [reply.body for reply in sent[1:]]  # the first: its message
    assert [r.answer for r in log] == [json.loads(reply.body) for reply in sent]
    assert len({r.answer["id"] for r in log}) == 4 and all(r.body == json.loads(body) for r in log)
    assert fake.engine.requests.kept_bytes == 4 * len(body) + sum(len(reply.body) for reply in sent[1:])


def test_a_body_larger_than_the_whole_budget_is_never_kept() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock(), max_recorded_bytes=16 * KIB)
    call(fake, "POST", "/v1/messages", _body(0, 64 * KIB))
    assert fake.last_request is not None
    assert fake.last_request.body_dropped and fake.last_request.body is None
    assert fake.last_request.body_size > 64 * KIB and fake.last_request.status == 200
    call(fake, "POST", "/v1/messages", _body(1, 1 * KIB))
    first, second = fake.requests
    assert first.body_dropped and not second.body_dropped and second.body["messages"]
    assert fake.engine.requests.kept_bytes <= 16 * KIB


def test_the_control_api_and_page_say_a_body_was_dropped() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock(), max_recorded_bytes=32 * KIB)
    for index in range(3):
        call(fake, "POST", "/v1/messages", _body(index, 24 * KIB))
    control = ControlApi(fake)
    listed = json.loads(control.handle(HttpRequest("GET", "/_fakeclaude/requests", {}, {})).body)["requests"]
    assert [r["body_dropped"] for r in listed] == [True, True, False]
    assert listed[0]["body"] is None and listed[0]["body_size"] > 24 * KIB and listed[0]["status"] == 200
    assert listed[2]["body"]["model"] == "claude-sonnet-4-5"
    page = control.handle(HttpRequest("GET", "/_fakeclaude/", {}, {})).body.decode()
    assert page.count("and answer dropped from the log") == 2
    assert page.count("<summary>request and answer</summary>") == 1


def test_reset_empties_the_log_and_its_byte_count() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock(), max_recorded_bytes=32 * KIB)
    for index in range(3):
        call(fake, "POST", "/v1/messages", _body(index, 24 * KIB))
    fake.reset()
    assert fake.requests == [] and fake.engine.requests.kept_bytes == 0
    call(fake, "POST", "/v1/messages", _body(9, 1 * KIB))
    assert fake.requests[0].body is not None


def test_memory_stays_flat_over_many_large_requests() -> None:
    """Twenty 200 KiB requests under a 1 MiB budget keep about 1 MiB, not 4 MiB."""
    fake = FakeClaude(seed=1, clock=FakeClock(), max_recorded_bytes=1024 * KIB)
    bodies = [json.dumps(_body(i, 200 * KIB)).encode() for i in range(21)]
    call(fake, "POST", "/v1/messages", bodies[0])
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for body in bodies[1:]:
            assert call(fake, "POST", "/v1/messages", body).status == 200
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 2 * 1024 * KIB, f"the fake kept {grown:,} bytes for 20 requests of 200 KiB"


def test_the_default_budget_is_a_few_mebibytes() -> None:
    """Parsed bodies weigh up to ten times their bytes: the default keeps the log to tens of megabytes."""
    assert 4 * 1024 * KIB <= DEFAULT_MAX_RECORDED_BYTES <= 16 * 1024 * KIB
    assert FakeClaude().engine.requests.max_bytes == DEFAULT_MAX_RECORDED_BYTES


def test_the_batch_store_drops_its_oldest_batches_beyond_its_byte_budget() -> None:
    store = BatchStore(Clock(), IdFactory(0), lambda params, custom_id, created: {"type": "message"}, max_bytes=1000)
    params = {"model": "m", "max_tokens": 1, "messages": []}
    ids = [store.create([("a", params)], weight=400)["id"] for _ in range(4)]
    listed = [b["id"] for b in store.list(limit=20)["data"]]
    assert listed == [ids[3], ids[2]]  # 800 bytes kept; the two oldest dropped
    big = store.create([("a", params)], weight=5000)["id"]  # the newest is kept even above the budget
    assert [b["id"] for b in store.list(limit=20)["data"]] == [big]
    store.retrieve(big)
    store.delete(big)
    again = [store.create([("a", params)], weight=400)["id"] for _ in range(2)]
    assert [b["id"] for b in store.list(limit=20)["data"]] == again[::-1]  # the deleted batch's bytes are freed


def test_the_engine_weighs_a_batch_by_its_body() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock())
    fake.engine.batches = BatchStore(fake.clock, IdFactory(0), lambda params, custom_id, created: {"type": "message"},
                                     max_bytes=3 * KIB)
    request = {"custom_id": "a", "params": _body(0, 2 * KIB)}
    first = call(fake, "POST", "/v1/messages/batches", {"requests": [request]})
    second = call(fake, "POST", "/v1/messages/batches", {"requests": [request]})
    assert first.status == second.status == 200
    assert call(fake, "GET", f"/v1/messages/batches/{json.loads(first.body)['id']}").status == 404
    assert call(fake, "GET", f"/v1/messages/batches/{json.loads(second.body)['id']}").status == 200
