"""Message batches on a fake clock: lifecycle, cancel, delete, paging, results JSONL."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from fakeclaude.server.batches import BatchStore
from fakeclaude.server.clock import FakeClock
from fakeclaude.server.errors import ApiError
from fakeclaude.server.generation._ids import IdFactory

MICRO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


def answer(params: dict[str, Any], custom_id: str = "", context: dict[str, Any] | None = None) -> dict[str, Any]:
    text = params["messages"][0]["content"]
    if text == "fail":
        raise ApiError(400, "max_tokens: Field required")
    return {
        "id": "msg_x",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": f"echo {text}"}],
        "usage": {"input_tokens": 3, "output_tokens": 2, "service_tier": "standard"},
    }


def params(text: str) -> dict[str, Any]:
    return {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": text}]}


def make(seconds: float = 0.0, **kw: Any) -> tuple[BatchStore, FakeClock]:
    clock = FakeClock()
    return BatchStore(clock, IdFactory(1), answer, processing_seconds=seconds, **kw), clock


def lines(raw: bytes) -> list[dict[str, Any]]:
    assert raw.endswith(b"\n")
    return [json.loads(line) for line in raw.decode().split("\n")[:-1]]


def status(exc: pytest.ExceptionInfo[ApiError]) -> tuple[int, str]:
    return exc.value.status, exc.value.type


def test_create_answers_in_progress_then_ends_on_first_observation() -> None:
    store, _ = make()
    batch = store.create([("a", params("hi")), ("b", params("yo"))])
    assert batch["id"].startswith("msgbatch_01") and len(batch["id"]) == len("msgbatch_") + 24
    assert batch["type"] == "message_batch"
    assert batch["processing_status"] == "in_progress"
    assert batch["request_counts"] == {
        "processing": 2,
        "succeeded": 0,
        "errored": 0,
        "canceled": 0,
        "expired": 0,
    }
    assert batch["created_at"] == "2026-01-01T00:00:00.000000+00:00"
    assert batch["expires_at"] == "2026-01-02T00:00:00.000000+00:00"
    assert batch["results_url"] is None and batch["ended_at"] is None and batch["archived_at"] is None
    ended = store.retrieve(batch["id"])
    assert ended["processing_status"] == "ended"
    assert ended["request_counts"]["succeeded"] == 2
    assert ended["ended_at"] == batch["created_at"]
    assert ended["results_url"] == f"/v1/messages/batches/{batch['id']}/results"


def test_processing_time_keeps_batch_in_progress_until_the_clock_moves() -> None:
    store, clock = make(60)
    bid = store.create([("a", params("hi"))])["id"]
    clock.advance(59.9)
    assert store.retrieve(bid)["processing_status"] == "in_progress"
    with pytest.raises(ApiError) as exc:
        store.results(bid)
    assert status(exc) == (404, "not_found_error")
    assert exc.value.message == f"Message Batch {bid} has no available results."
    clock.advance(0.1)
    batch = store.retrieve(bid)
    assert batch["processing_status"] == "ended"
    assert MICRO.match(batch["ended_at"]) and batch["ended_at"] == "2026-01-01T00:01:00.000000+00:00"


def test_results_are_jsonl_with_batch_tier_and_errored_lines() -> None:
    store, _ = make(base_url_of_results=lambda bid: f"http://fake/v1/messages/batches/{bid}/results")
    requests = [(str(i), params("fail" if i == 3 else f"line\nwith newline {i}")) for i in range(6)]
    bid = store.create(requests)["id"]
    batch = store.retrieve(bid)
    assert batch["results_url"] == f"http://fake/v1/messages/batches/{bid}/results"
    assert batch["request_counts"] == {
        "processing": 0,
        "succeeded": 5,
        "errored": 1,
        "canceled": 0,
        "expired": 0,
    }
    raw = store.results(bid)
    assert raw.count(b"\n") == 6
    got = lines(raw)
    assert sorted(line["custom_id"] for line in got) == [str(i) for i in range(6)]
    assert [line["custom_id"] for line in got] != [str(i) for i in range(6)]  # not in request order
    assert store.results(bid) == raw  # deterministic
    by_id = {line["custom_id"]: line["result"] for line in got}
    ok = by_id["0"]
    assert ok["type"] == "succeeded" and ok["message"]["usage"]["service_tier"] == "batch"
    err = by_id["3"]
    assert err["type"] == "errored"
    assert err["error"]["type"] == "error"
    assert err["error"]["error"] == {"type": "invalid_request_error", "message": "max_tokens: Field required"}
    assert err["error"]["request_id"].startswith("req_011C")


def test_answers_are_computed_once_and_lazily() -> None:
    calls: list[str] = []

    def counting(p: dict[str, Any], custom_id: str, context: dict[str, Any]) -> dict[str, Any]:
        calls.append(p["messages"][0]["content"])
        return answer(p, custom_id)

    clock = FakeClock()
    store = BatchStore(clock, IdFactory(1), counting, processing_seconds=10)
    bid = store.create([("a", params("x"))])["id"]
    store.retrieve(bid)
    assert calls == []
    clock.advance(10)
    store.retrieve(bid)
    store.results(bid)
    store.list()
    assert calls == ["x"]


def test_cancel_mid_way_keeps_finished_requests_and_cancels_the_rest() -> None:
    store, clock = make(100)
    bid = store.create([(str(i), params(str(i))) for i in range(4)])["id"]  # finish at 25, 50, 75, 100 s
    clock.advance(60)
    canceling = store.cancel(bid)
    assert canceling["processing_status"] == "canceling"
    assert canceling["cancel_initiated_at"] == "2026-01-01T00:01:00.000000+00:00"
    assert canceling["request_counts"]["processing"] == 4
    assert canceling["results_url"] is None
    clock.advance(1)
    ended = store.retrieve(bid)
    assert ended["processing_status"] == "ended"
    assert ended["request_counts"] == {
        "processing": 0,
        "succeeded": 2,
        "errored": 0,
        "canceled": 2,
        "expired": 0,
    }
    results = {line["custom_id"]: line["result"]["type"] for line in lines(store.results(bid))}
    assert results == {"0": "succeeded", "1": "succeeded", "2": "canceled", "3": "canceled"}
    with pytest.raises(ApiError) as exc:
        store.cancel(bid)
    assert status(exc) == (400, "invalid_request_error")


def test_cancel_twice_keeps_canceling_until_observed() -> None:
    store, _ = make(100)
    bid = store.create([("a", params("a"))])["id"]
    assert store.cancel(bid)["processing_status"] == "canceling"
    assert store.retrieve(bid)["request_counts"]["canceled"] == 1


def test_cancel_after_processing_ended_on_the_clock_is_refused() -> None:
    store, clock = make(10)
    bid = store.create([("a", params("a"))])["id"]
    clock.advance(11)
    with pytest.raises(ApiError) as exc:
        store.cancel(bid)
    assert status(exc) == (400, "invalid_request_error")
    assert store.retrieve(bid)["request_counts"]["succeeded"] == 1


def test_requests_past_expiry_are_expired() -> None:
    store, clock = make(48 * 3600)
    bid = store.create([(str(i), params(str(i))) for i in range(4)])["id"]  # 12 h, 24 h, 36 h, 48 h
    clock.advance(24 * 3600 - 1)
    assert store.retrieve(bid)["processing_status"] == "in_progress"
    clock.advance(1)
    batch = store.retrieve(bid)
    assert batch["processing_status"] == "ended"
    assert batch["ended_at"] == batch["expires_at"]
    assert batch["request_counts"] == {
        "processing": 0,
        "succeeded": 2,
        "errored": 0,
        "canceled": 0,
        "expired": 2,
    }
    assert {json.dumps(line["result"]) for line in lines(store.results(bid))} >= {'{"type": "expired"}'}


def test_delete_only_after_the_batch_ended() -> None:
    store, clock = make(30)
    bid = store.create([("a", params("a"))])["id"]
    with pytest.raises(ApiError) as exc:
        store.delete(bid)
    assert status(exc) == (400, "invalid_request_error")
    assert exc.value.message == "In progress batches cannot be deleted. Consider canceling the batch instead."
    store.cancel(bid)
    clock.advance(1)
    assert store.delete(bid) == {"id": bid, "type": "message_batch_deleted"}
    for call in (store.retrieve, store.delete, store.results, store.cancel):
        with pytest.raises(ApiError) as exc:
            call(bid)
        assert status(exc) == (404, "not_found_error")
        assert bid in exc.value.message


def test_unknown_batch_is_404() -> None:
    store, _ = make()
    with pytest.raises(ApiError) as exc:
        store.retrieve("msgbatch_nope")
    assert status(exc) == (404, "not_found_error")
    assert exc.value.message == "Message Batch msgbatch_nope not found."


def test_list_pages_newest_first_with_before_and_after() -> None:
    store, clock = make()
    ids = []
    for i in range(5):
        ids.append(store.create([("a", params(str(i)))])["id"])
        clock.advance(1)
    newest = ids[::-1]
    first = store.list(limit=2)
    assert [b["id"] for b in first["data"]] == newest[:2]
    assert first["has_more"] is True and first["first_id"] == newest[0] and first["last_id"] == newest[1]
    assert all(b["processing_status"] == "ended" for b in first["data"])
    second = store.list(after_id=first["last_id"], limit=2)
    assert [b["id"] for b in second["data"]] == newest[2:4] and second["has_more"] is True
    third = store.list(after_id=second["last_id"], limit=2)
    assert [b["id"] for b in third["data"]] == newest[4:] and third["has_more"] is False
    back = store.list(before_id=newest[3], limit=2)
    assert [b["id"] for b in back["data"]] == newest[1:3] and back["has_more"] is True
    back2 = store.list(before_id=back["first_id"], limit=2)
    assert [b["id"] for b in back2["data"]] == newest[:1] and back2["has_more"] is False
    assert store.list()["data"] == store.list(limit=1000)["data"]
    assert len(store.list()["data"]) == 5
    empty = store.list(after_id=newest[-1])
    assert empty == {"data": [], "has_more": False, "first_id": None, "last_id": None}


@pytest.mark.parametrize(
    ("limit", "text"),
    [
        (0, "limit: Input should be greater than or equal to 1"),
        (1001, "limit: Input should be less than or equal to 1000"),
        ("x", "limit: Input should be a valid integer, unable to parse string as an integer"),
    ],
)
def test_list_limit_out_of_range_is_400(limit: int | str, text: str) -> None:
    store, _ = make()
    with pytest.raises(ApiError) as exc:
        store.list(limit=limit)
    assert status(exc) == (400, "invalid_request_error") and exc.value.message == text


def test_memory_is_bounded_oldest_dropped() -> None:
    store, _ = make(max_batches=3)
    ids = [store.create([("a", params("a"))])["id"] for _ in range(5)]
    assert [b["id"] for b in store.list()["data"]] == ids[:1:-1]
    with pytest.raises(ApiError):
        store.retrieve(ids[0])


def test_params_are_copied_at_create() -> None:
    store, _ = make()
    p = params("original")
    bid = store.create([("a", p)])["id"]
    p["messages"][0]["content"] = "mutated"
    (line,) = lines(store.results(bid))
    assert line["result"]["message"]["content"][0]["text"] == "echo original"


def test_same_seed_same_ids() -> None:
    a, _ = make()
    b, _ = make()
    assert a.create([("x", params("x"))]) == b.create([("x", params("x"))])
