"""The shared-state interface on each backend (memory, SQLite, a real Redis), and ``serve --workers 2``.

The same tests run on every backend (the ``backend`` fixture): the five operations, their atomicity
under threads on two handles of one store (two handles are what two worker processes hold), batches
created through one fake and seen, canceled and read through another, and finally two real worker
processes on one port whose answers name different pids and share their batches and files.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx2
import pytest

import fakeclaude
from fakeclaude.server import FakeClaude, FakeClock, FileLimits
from fakeclaude.server.statestore import MemoryStore, RedisStore, SqliteStore, StateStore, open_state

from ..cli_support import fakeclaude_process, free_port
from .pdf_support import build_pdf

Opener = Callable[[], StateStore]
REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real redis-server (system package, installed by ``.ci/run``) on a free loopback port, no disk."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (.ci/run installs it with apt-get install redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", folder, "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            url = f"redis://127.0.0.1:{port}/0"
            deadline = time.monotonic() + 20
            while True:
                with contextlib.suppress(Exception):
                    RedisStore(url).get("ping")
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start (exit status {process.poll()})")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            process.wait(10)


@pytest.fixture(params=["memory", "sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Opener]]:
    """``(url, open_handle)``: each call opens another handle on one and the same store."""
    if request.param == "memory":
        shared = MemoryStore()
        yield "memory://", lambda: shared
        return
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state.db'}"
    else:
        url = request.getfixturevalue("redis_url")
        namespace = f"test-{request.node.name}-{time.monotonic_ns()}:"  # a fresh store per test
    handles: list[StateStore] = []

    def opener() -> StateStore:
        handle: StateStore = SqliteStore(url.removeprefix("sqlite:///")) if request.param == "sqlite" \
            else RedisStore(url, namespace=namespace)
        handles.append(handle)
        return handle

    yield url, opener
    for handle in handles:
        handle.close()


def test_the_five_operations(backend: tuple[str, Opener]) -> None:
    _, opener = backend
    one, two = opener(), opener()
    assert one.get("a/1") is None
    one.put("a/1", b"x")
    one.put("a/2", b"y")
    one.put("a*/3", b"glob characters are not patterns")
    one.put("b/1", b"z")
    assert two.get("a/1") == b"x"  # another handle sees it
    assert two.scan("a/") == [("a/1", b"x"), ("a/2", b"y")]
    assert two.scan("a*") == [("a*/3", b"glob characters are not patterns")]
    assert two.compare_and_set("a/1", b"stale", b"no") is False and one.get("a/1") == b"x"
    assert two.compare_and_set("a/1", b"x", b"x2") is True and one.get("a/1") == b"x2"
    assert two.compare_and_set("new", None, b"created") is True
    assert one.compare_and_set("new", None, b"again") is False
    assert one.compare_and_set("new", b"created", None) is True and two.get("new") is None
    assert one.delete("b/1") is True and two.delete("b/1") is False
    assert one.increment("n") == 1 and two.increment("n", 5) == 6


def test_counters_and_compare_and_set_lose_nothing_under_threads(backend: tuple[str, Opener]) -> None:
    _, opener = backend
    handles = [opener(), opener()]

    def work(store: StateStore) -> None:
        for _ in range(100):
            store.increment("hits")
            while True:  # a read-modify-write loop, as the batch store does it
                raw = store.get("list")
                if store.compare_and_set("list", raw, (raw or b"") + b"."):
                    break

    threads = [threading.Thread(target=work, args=(handles[i % 2],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert handles[0].get("hits") == b"600"
    assert handles[1].get("list") == b"." * 600


def test_batches_are_shared_between_fakes_on_one_store(backend: tuple[str, Opener]) -> None:
    _, opener = backend
    clock = FakeClock()
    first = FakeClaude(seed=0, clock=clock, state=opener(), batch_processing_seconds=60)
    second = FakeClaude(seed=0, clock=clock, state=opener(), batch_processing_seconds=60)  # the same seed
    a, b = first.client(), second.client()
    rows = [{"custom_id": f"r{i}", "params": {"model": "claude-haiku-4-5", "max_tokens": 16,
                                             "messages": [{"role": "user", "content": f"Hi {i}"}]}} for i in range(3)]
    made = [a.messages.batches.create(requests=rows), b.messages.batches.create(requests=rows)]  # type: ignore[arg-type]
    assert made[0].id != made[1].id  # ids never repeat across workers, even with one seed
    assert b.messages.batches.retrieve(made[0].id).processing_status == "in_progress"
    assert [batch.id for batch in a.messages.batches.list()] == [made[1].id, made[0].id]
    assert b.messages.batches.cancel(made[0].id).processing_status == "canceling"
    assert a.messages.batches.retrieve(made[0].id).request_counts.canceled == 3
    clock.advance(60)
    ended = a.messages.batches.retrieve(made[1].id)
    assert ended.processing_status == "ended" and ended.request_counts.succeeded == 3
    seen_by_a = [row.to_dict() for row in a.messages.batches.results(made[1].id)]
    assert [row.to_dict() for row in b.messages.batches.results(made[1].id)] == seen_by_a  # computed once
    assert b.messages.batches.delete(made[1].id).type == "message_batch_deleted"
    with pytest.raises(fakeclaude.NotFoundError):
        a.messages.batches.retrieve(made[1].id)


def test_a_prefix_cached_through_one_fake_is_read_through_another(backend: tuple[str, Opener]) -> None:
    _, opener = backend
    clock = FakeClock()
    first, second = (FakeClaude(seed=0, clock=clock, state=opener()).client() for _ in range(2))
    system = [{"type": "text", "text": "You answer questions about a long manual. " * 400,
               "cache_control": {"type": "ephemeral"}}]
    ask = {"model": "claude-sonnet-4-5", "max_tokens": 16, "system": system,
           "messages": [{"role": "user", "content": "What is on page 3?"}]}
    wrote = first.messages.create(**ask).usage  # type: ignore[arg-type]
    assert wrote.cache_creation_input_tokens > 0 and wrote.cache_read_input_tokens == 0
    read = second.messages.create(**ask).usage  # type: ignore[arg-type]
    assert read.cache_read_input_tokens == wrote.cache_creation_input_tokens and read.cache_creation_input_tokens == 0
    clock.advance(301)  # past the 5-minute lifetime (the read restarted it at t=0)
    assert first.messages.create(**ask).usage.cache_read_input_tokens == 0  # type: ignore[arg-type]


def test_a_thread_created_through_one_fake_is_continued_through_another(backend: tuple[str, Opener]) -> None:
    _, opener = backend
    fakes = [FakeClaude(seed=0, clock=FakeClock(), state=opener(), worker=name) for name in ("a", "b")]
    headers = {"x-api-key": "k", "anthropic-version": "2023-06-01", "anthropic-beta": "message-threads-2026-08-12"}

    def send(fake: FakeClaude, thread: dict[str, Any], text: str) -> httpx2.Response:
        with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as http:
            return http.post("/v1/messages?beta=true", headers=headers, json={
                "model": "claude-haiku-4-5", "max_tokens": 16, "thread": thread,
                "messages": [{"role": "user", "content": text}]})

    created = send(fakes[0], {"type": "create"}, "Hello")
    assert created.status_code == 200
    first_id = created.json()["id"]
    continued = send(fakes[1], {"type": "continue", "previous_message_id": first_id}, "And then?")
    assert continued.status_code == 200, continued.text  # the other fake found the kept turn (else 404)
    again = send(fakes[0], {"type": "continue", "previous_message_id": first_id}, "Again?")
    assert (again.status_code, again.json()["error"]["details"]["error_code"]) == (400, "thread_already_continued")
    onward = send(fakes[0], {"type": "continue", "previous_message_id": continued.json()["id"]}, "Last.")
    assert onward.status_code == 200, onward.text
    assert send(fakes[1], {"type": "continue", "previous_message_id": "msg_nope"}, "?").status_code == 404


def test_a_file_uploaded_through_one_fake_is_served_by_another(backend: tuple[str, Opener]) -> None:
    _, opener = backend
    clock = FakeClock()
    limits = FileLimits(max_files=3)
    fakes = [FakeClaude(seed=0, clock=clock, state=opener(), file_limits=limits, worker=name) for name in ("a", "b")]
    a, b = (fake.client() for fake in fakes)
    pdf = build_pdf(["The capital of Atlantis is Poseidonia."])
    uploaded = a.files.upload(file=("atlantis.pdf", pdf, "application/pdf"))
    assert b.files.retrieve_metadata(uploaded.id).model_dump() == uploaded.model_dump()
    ask = [{"role": "user", "content": [{"type": "document", "source": {"type": "file", "file_id": uploaded.id}},
                                        {"type": "text", "text": "Capital?"}]}]
    counted = [client.messages.count_tokens(model="claude-sonnet-4-5", messages=ask).input_tokens  # type: ignore[arg-type]
               for client in (a, b)]
    assert counted[0] == counted[1] > 100  # the other fake counted the same bytes
    more = [b.files.upload(file=(f"n{i}.txt", f"note {i}".encode(), "text/plain")) for i in range(3)]
    assert len({f.id for f in [uploaded, *more]}) == 4  # no two fakes gave out one id
    assert [f.id for f in a.files.list()] == [f.id for f in reversed(more)]  # the oldest evicted, once
    assert (len(fakes[0].files), fakes[1].files.total_bytes) == (3, 18)
    with pytest.raises(fakeclaude.NotFoundError):
        a.files.retrieve_metadata(uploaded.id)
    assert a.files.delete(more[0].id).type == "file_deleted"
    with pytest.raises(fakeclaude.NotFoundError):
        b.files.delete(more[0].id)
    assert [f.id for f in b.files.list()] == [more[2].id, more[1].id]


def test_open_state_names_the_forms_it_takes(tmp_path: Path) -> None:
    assert isinstance(open_state("memory://"), MemoryStore)
    store = open_state(f"sqlite:///{tmp_path / 'x.db'}")
    assert isinstance(store, SqliteStore) and store.path == tmp_path / "x.db"
    store.close()
    with pytest.raises(ValueError, match="use memory://, sqlite:///PATH or redis://HOST:PORT/DB"):
        open_state("postgres://nope")


def _traffic_over_two_workers(state: str) -> dict[str, Any]:
    """Batches made and polled through ``serve --workers 2``: which pids answered, what each saw."""
    with fakeclaude_process("serve", "--no-access-log", "--workers", "2", "--state", state,
                            "--batch-processing-seconds", "600") as running:
        deadline = time.monotonic() + 20
        while running.output().count("listening on") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        pids: set[str] = set()
        statuses: set[str] = set()
        rows = [{"custom_id": "only", "params": {"model": "claude-haiku-4-5", "max_tokens": 8,
                                                "messages": [{"role": "user", "content": "Hi"}]}}]
        ids: list[str] = []
        for _ in range(40):  # a new client each time: a new connection, which the kernel may send elsewhere
            with anthropic.Anthropic(api_key="k", base_url=running.url, max_retries=0) as sdk:
                created = sdk.messages.batches.with_raw_response.create(requests=rows)  # type: ignore[arg-type]
                pids.add(created.headers["x-fakeclaude-worker"])
                ids.append(created.parse().id)
            with anthropic.Anthropic(api_key="k", base_url=running.url, max_retries=0) as sdk:
                polled = sdk.messages.batches.with_raw_response.retrieve(ids[0])
                pids.add(polled.headers["x-fakeclaude-worker"])
                statuses.add(polled.parse().processing_status)
            if len(pids) > 1 and len(ids) > 3:
                break
        with anthropic.Anthropic(api_key="k", base_url=running.url, max_retries=0) as sdk:
            sdk.messages.batches.cancel(ids[0])
            listed = {batch.id for batch in sdk.messages.batches.list(limit=100)}
            canceled = sdk.messages.batches.retrieve(ids[0]).request_counts.canceled
            uploaded = sdk.beta.files.upload(file=("note.txt", b"a note", "text/plain"))
        file_answers: set[tuple[int, str]] = set()
        for _ in range(40):  # the file, retrieved over new connections until both workers answered
            with anthropic.Anthropic(api_key="k", base_url=running.url, max_retries=0) as sdk:
                got = sdk.beta.files.with_raw_response.retrieve_metadata(uploaded.id)
                file_answers.add((got.status_code, got.headers["x-fakeclaude-worker"]))
            if len({pid for _, pid in file_answers}) > 1:
                break
        return {"pids": pids, "statuses": statuses, "ids": ids, "listed": listed, "canceled": canceled,
                "file_answers": file_answers}


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_two_serve_workers_answer_on_one_port_and_share_batches_and_files(kind: str, request: pytest.FixtureRequest,
                                                                 tmp_path: Path) -> None:
    state = f"sqlite:///{tmp_path / 'state.db'}" if kind == "sqlite" else request.getfixturevalue("redis_url")
    seen = _traffic_over_two_workers(state)  # the only user of this Redis's default namespace
    assert len(seen["pids"]) == 2, f"every request reached one worker: {seen['pids']}"
    assert seen["statuses"] == {"in_progress"}  # every worker found the batch another one created
    assert len(set(seen["ids"])) == len(seen["ids"])  # and no two workers gave out one id
    assert seen["listed"] == set(seen["ids"])
    assert seen["canceled"] == 1
    assert {status for status, _ in seen["file_answers"]} == {200}  # every worker found the uploaded file
    assert len({pid for _, pid in seen["file_answers"]}) == 2, seen["file_answers"]


def test_workers_refuse_a_state_only_one_process_sees() -> None:
    done = subprocess.run([sys.executable, "-m", "fakeclaude", "serve", "--workers", "2", "--port", "0"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "--workers 2 needs a shared --state" in done.stderr and "Traceback" not in done.stderr


def _control(base_url: str, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
    with httpx2.Client(base_url=base_url) as http:  # a new connection each time
        answer = http.request(method, path, json=payload)
    return answer.status_code, answer.json()


def test_a_script_posted_to_one_worker_answers_on_every_worker(tmp_path: Path) -> None:
    with fakeclaude_process("serve", "--no-access-log", "--workers", "2", "--state",
                            f"sqlite:///{tmp_path / 'state.db'}") as running:
        status, _ = _control(running.url, "POST", "/_fakeclaude/script",
                             {"rule": {"match": {"last_user_text": "weather"}, "reply": "Sunny."}})
        assert status == 200
        pids, texts, made = set(), set(), 0
        for _ in range(40):
            with anthropic.Anthropic(api_key="k", base_url=running.url, max_retries=0) as sdk:
                answer = sdk.messages.with_raw_response.create(
                    model="claude-haiku-4-5", max_tokens=16, messages=[{"role": "user", "content": "The weather?"}])
            pids.add(answer.headers["x-fakeclaude-worker"])
            texts.add(answer.parse().content[0].text)  # type: ignore[union-attr]
            made += 1
            if len(pids) > 1:
                break
        assert len(pids) == 2 and texts == {"Sunny."}
        for _ in range(4):  # whichever worker answers, the log holds what both of them answered
            logged = _control(running.url, "GET", "/_fakeclaude/requests")[1]["requests"]
            assert [(r["path"], r["verdict"]) for r in logged] == [("/v1/messages", "scripted")] * made
            assert all("[redacted]" in r["headers"].values() and "k" not in r["headers"].values() for r in logged)
        status, body = _control(running.url, "POST", "/_fakeclaude/script",
                                [{"rule": {"match": {"turn": 1}, "answers": [{"reply": "a"}, {"reply": "b"}]}}])
        assert status == 400
        assert body["error"]["message"].startswith("script[0]: with --workers, a rule's answers sequence would be")
        queued = [{"reply": f"Once {n}."} for n in range(6)]
        status, body = _control(running.url, "POST", "/_fakeclaude/script", queued)
        assert status == 200 and body["pool_queued"] == 6
        answered = []
        for _ in range(8):  # one-shot replies are each answered once by the whole pool, in order, then generated
            with anthropic.Anthropic(api_key="k", base_url=running.url, max_retries=0) as sdk:
                answer = sdk.messages.with_raw_response.create(
                    model="claude-haiku-4-5", max_tokens=16, messages=[{"role": "user", "content": "Anything?"}])
            answered.append(answer.parse().content[0].text)  # type: ignore[union-attr]
        assert answered[:6] == [f"Once {n}." for n in range(6)]
        assert not any(text.startswith("Once") for text in answered[6:])
        assert _control(running.url, "GET", "/_fakeclaude/script")[1]["pool_queued"] == 0
        assert _control(running.url, "POST", "/_fakeclaude/reset")[0] == 200
        for _ in range(6):  # the reset reached every worker: the rule is gone everywhere, the log is empty
            assert _control(running.url, "GET", "/_fakeclaude/script")[1]["rules"] == []
            assert _control(running.url, "GET", "/_fakeclaude/requests")[1]["requests"] == []
