"""The Files API of the fake, driven by the official ``anthropic`` SDK unchanged, in-process (httpx2
transport) and over a real socket (the aiohttp app on 127.0.0.1): upload, list, metadata, download,
delete, files used in messages and counted like the same bytes inline, and the API's errors."""

from __future__ import annotations

import base64
import io
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import anthropic
import httpx2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakeclaude.server import FakeClaude, FakeClock, FileLimits
from fakeclaude.server.adapters._guard import MAX_BODY_BYTES, MAX_FILES_BODY_BYTES, body_limit
from fakeclaude.server.http import HttpRequest
from tests.seed_support import tiny_pdf, tiny_png
from tests.server.conftest import HEADERS, body_of, call

MODEL = "claude-sonnet-4-5"
CODE_EXECUTION = {"type": "code_execution_20250825", "name": "code_execution"}


@pytest.fixture(params=["in-process", "socket"])
def sdk(request: pytest.FixtureRequest, fake: FakeClaude) -> Iterator[anthropic.Anthropic]:
    """The official SDK wired to ``fake``: through the in-process transport, or over loopback."""
    if request.param == "in-process":
        with httpx2.Client(transport=fake.httpx2_transport()) as http:
            yield anthropic.Anthropic(api_key="sk-test", base_url="http://fake", http_client=http, max_retries=0)
        return
    with fake.serve() as url:
        yield anthropic.Anthropic(api_key="sk-test", base_url=url, max_retries=0)


def _user(*blocks: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"role": "user", "content": [*blocks, {"type": "text", "text": "What is in it?"}]}]


def _file_source(kind: str, file_id: str) -> dict[str, Any]:
    return {"type": kind, "source": {"type": "file", "file_id": file_id}}


def _inline(kind: str, data: bytes, media_type: str) -> dict[str, Any]:
    return {"type": kind, "source": {"type": "base64", "media_type": media_type,
                                     "data": base64.b64encode(data).decode()}}


# ----- upload, list, retrieve, download, delete ------------------------------------------------------
def test_upload_bytes_path_and_file_object(sdk: anthropic.Anthropic, fake: FakeClaude, tmp_path: Path) -> None:
    png, pdf = tiny_png(), tiny_pdf(3)
    path = tmp_path / "nested" / "report.pdf"
    path.parent.mkdir()
    path.write_bytes(pdf)

    from_tuple = sdk.files.upload(file=("chart.png", png, "image/png"))
    from_path = sdk.beta.files.upload(file=path)
    from_object = sdk.files.upload(file=io.BytesIO(b"a,b\n1,2\n"))
    from_bytes = sdk.files.upload(file=pdf)

    assert (from_tuple.filename, from_tuple.mime_type, from_tuple.size_bytes) == ("chart.png", "image/png", len(png))
    assert (from_path.filename, from_path.mime_type) == ("report.pdf", "application/pdf")
    assert from_object.mime_type == "application/octet-stream" and from_object.size_bytes == 8
    assert from_bytes.mime_type == "application/pdf"  # a nameless part: its type is sniffed from the bytes
    for meta in (from_tuple, from_path, from_object, from_bytes):
        assert meta.id.startswith("file_011C") and len(meta.id) == len("file_") + 24
        assert meta.downloadable is False and meta.type == "file"
    assert fake.files.get(from_path.id).content == pdf  # the bytes arrive unchanged, binary included
    assert fake.files.get(from_tuple.id).content == png


def test_created_at_has_the_recorded_precision_and_expiry_follows_the_clock(
    sdk: anthropic.Anthropic, fake: FakeClaude
) -> None:
    fake.advance(0.1234)
    raw = sdk.files.with_raw_response.upload(file=("a.txt", b"hi", "text/plain"), expires_in_seconds=3600)
    body = raw.http_response.json()
    assert body["created_at"] == "2026-01-01T00:00:00.123000Z"
    assert body["expires_at"] == "2026-01-01T01:00:00.123000Z"
    assert list(body) == ["type", "id", "size_bytes", "created_at", "filename", "mime_type", "downloadable",
                          "expires_at"]
    assert not any(name.startswith("anthropic-ratelimit") for name in raw.headers)


def test_list_ga_pages_over_more_than_one_page(sdk: anthropic.Anthropic) -> None:
    ids = [sdk.files.upload(file=(f"f{i}.txt", b"x" * i, "text/plain")).id for i in range(5)]
    first = sdk.files.list(limit=2)
    assert [f.id for f in first.data] == ids[::-1][:2] and first.next_page
    assert [f.id for f in sdk.files.list(limit=2)] == ids[::-1]  # auto-pagination walks the three pages
    pages = list(sdk.files.list(limit=2).iter_pages())
    assert [len(p.data) for p in pages] == [2, 2, 1] and pages[-1].next_page is None
    chosen = sdk.files.list(ids=[ids[3], "file_011Cunknown", ids[0]])
    assert [f.id for f in chosen.data] == [ids[3], ids[0]] and chosen.next_page is None


def test_list_beta_shape_with_the_files_beta_header(sdk: anthropic.Anthropic, fake: FakeClaude) -> None:
    ids = [sdk.files.upload(file=(f"f{i}.txt", b"x", "text/plain")).id for i in range(3)]
    headers = {"anthropic-beta": "files-api-2025-04-14"}
    page = sdk.get("/v1/files?beta=true&limit=2", cast_to=object, options={"headers": headers})
    assert page == {"data": [fake.files.retrieve(i) for i in ids[:0:-1]], "has_more": True,
                    "first_id": ids[2], "last_id": ids[1]}
    rest = sdk.get(f"/v1/files?beta=true&limit=2&after_id={ids[1]}", cast_to=object, options={"headers": headers})
    assert rest == {"data": [fake.files.retrieve(ids[0])], "has_more": False, "first_id": ids[0], "last_id": ids[0]}


def test_retrieve_download_and_delete(sdk: anthropic.Anthropic, fake: FakeClaude, tmp_path: Path) -> None:
    upload = sdk.files.upload(file=("notes.txt", b"keep", "text/plain"))
    assert sdk.files.retrieve_metadata(upload.id) == upload
    with pytest.raises(anthropic.BadRequestError) as refused:
        sdk.files.download(upload.id)
    assert refused.value.body["error"]["message"] == f"File '{upload.id}' is not downloadable"  # type: ignore[index]
    assert type(refused.value).__name__ == "FileNotDownloadableError"  # the SDK reads error.details.error_code
    made = fake.files.create(b"\x00\x01binary\xff", filename="out.bin", mime_type="application/octet-stream",
                             downloadable=True)
    download = sdk.files.download(made["id"])
    assert download.read() == b"\x00\x01binary\xff"
    assert download.headers["content-type"] == "application/octet-stream"
    download.write_to_file(tmp_path / "out.bin")
    assert (tmp_path / "out.bin").read_bytes() == b"\x00\x01binary\xff"
    deleted = sdk.files.delete(upload.id)
    assert (deleted.id, deleted.type) == (upload.id, "file_deleted")
    with pytest.raises(anthropic.NotFoundError) as gone:
        sdk.files.retrieve_metadata(upload.id)
    assert gone.value.body["error"] == {"type": "not_found_error",  # type: ignore[index]
                                        "message": f"File '{upload.id}' not found"}


def test_an_expired_file_answers_file_expired(sdk: anthropic.Anthropic, fake: FakeClaude) -> None:
    made = fake.files.create(b"x", filename="o.txt", mime_type="text/plain", downloadable=True,
                             expires_in_seconds=3600)
    assert sdk.files.download(made["id"]).read() == b"x"
    fake.advance(3600)
    with pytest.raises(anthropic.NotFoundError) as expired:
        sdk.files.download(made["id"])
    assert type(expired.value).__name__ == "FileExpiredError"
    with pytest.raises(anthropic.NotFoundError, match="has expired"):
        sdk.messages.create(model=MODEL, max_tokens=10, messages=_user(_file_source("document", made["id"])))


# ----- files in messages -------------------------------------------------------------------------------
def test_uploaded_image_and_pdf_in_a_message_and_a_tool_result(sdk: anthropic.Anthropic) -> None:
    image = sdk.files.upload(file=("chart.png", tiny_png(), "image/png"))
    pdf = sdk.files.upload(file=("report.pdf", tiny_pdf(2), "application/pdf"))
    reply = sdk.messages.create(model=MODEL, max_tokens=50, messages=_user(
        _file_source("image", image.id), _file_source("document", pdf.id)))
    assert reply.stop_reason == "end_turn" and reply.content
    tool_turns = [
        {"role": "user", "content": "Get the chart."},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01A", "name": "get_file", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A",
                                      "content": [_file_source("image", image.id), _file_source("document", pdf.id)]}]},
    ]
    tools = [{"name": "get_file", "description": "Fetch the file", "input_schema": {"type": "object"}}]
    assert sdk.beta.messages.create(model=MODEL, max_tokens=50, messages=tool_turns, tools=tools).content


@pytest.mark.parametrize(("kind", "name", "make", "mime"), [
    ("image", "chart.png", lambda: tiny_png(800, 600), "image/png"),
    ("document", "report.pdf", lambda: tiny_pdf(4), "application/pdf"),
    ("document", "notes.txt", lambda: b"plain words " * 40, "text/plain"),
])
def test_count_tokens_of_a_file_equals_the_same_bytes_inline(
    sdk: anthropic.Anthropic, kind: str, name: str, make: Any, mime: str
) -> None:
    data = make()
    file_id = sdk.files.upload(file=(name, data, mime)).id
    by_file = sdk.messages.count_tokens(model=MODEL, messages=_user(_file_source(kind, file_id))).input_tokens
    if mime == "text/plain":
        inline_block = {"type": "document", "source": {"type": "text", "media_type": mime, "data": data.decode()}}
    else:
        inline_block = _inline(kind, data, mime)
    inline = sdk.messages.count_tokens(model=MODEL, messages=_user(inline_block)).input_tokens
    unknown_size = sdk.messages.count_tokens(
        model=MODEL, messages=_user({"type": kind, "source": {"type": "url", "url": "https://example.com/x"}})
    ).input_tokens
    assert by_file == inline
    assert by_file != unknown_size  # counted from the stored bytes, not a guess
    usage = sdk.messages.create(model=MODEL, max_tokens=5, messages=_user(_file_source(kind, file_id))).usage
    assert usage.input_tokens == inline


def test_unknown_and_wrong_type_files_are_refused(sdk: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.NotFoundError) as unknown:
        sdk.messages.create(model=MODEL, max_tokens=5, messages=_user(_file_source("image", "file_011Cnothere")))
    assert unknown.value.body["error"]["message"] == "File 'file_011Cnothere' not found"  # type: ignore[index]
    image = sdk.files.upload(file=("chart.png", tiny_png(), "image/png")).id
    with pytest.raises(anthropic.BadRequestError) as wrong:
        sdk.messages.create(model=MODEL, max_tokens=5, messages=_user(_file_source("document", image)))
    assert wrong.value.body["error"]["message"] == (  # type: ignore[index]
        f"messages.0.content.0: File '{image}' has type image/png, which cannot be used in a document block")
    csv = sdk.files.upload(file=("data.csv", b"a,b\n", "text/csv")).id
    with pytest.raises(anthropic.BadRequestError, match="cannot be used in an image block"):
        sdk.messages.count_tokens(model=MODEL, messages=_user(_file_source("image", csv)))


def test_container_upload_needs_a_code_execution_tool(sdk: anthropic.Anthropic) -> None:
    csv = sdk.files.upload(file=("data.csv", b"item,value\napple,30\n", "text/csv")).id
    block = {"type": "container_upload", "file_id": csv}
    with pytest.raises(anthropic.BadRequestError, match="container_upload blocks require the code execution tool"):
        sdk.beta.messages.create(model=MODEL, max_tokens=20, messages=_user(block))
    reply = sdk.beta.messages.create(model=MODEL, max_tokens=20, messages=_user(block), tools=[CODE_EXECUTION])
    assert reply.content
    with pytest.raises(anthropic.NotFoundError):
        sdk.beta.messages.create(model=MODEL, max_tokens=20, tools=[CODE_EXECUTION],
                                 messages=_user({"type": "container_upload", "file_id": "file_011Cgone"}))


# ----- upload errors -----------------------------------------------------------------------------------
def test_oversize_upload_with_a_small_configured_limit() -> None:
    fake = FakeClaude(clock=FakeClock(), file_limits=FileLimits(max_file_bytes=1000))
    with fake.serve() as url:
        sdk = anthropic.Anthropic(api_key="sk-test", base_url=url, max_retries=0)
        assert sdk.files.upload(file=("ok.bin", b"x" * 1000, "application/octet-stream")).size_bytes == 1000
        with pytest.raises(anthropic.APIStatusError) as too_big:
            sdk.files.upload(file=("big.bin", b"x" * 1001, "application/octet-stream"))
    assert too_big.value.status_code == 413
    assert too_big.value.body["error"]["type"] == "request_too_large"  # type: ignore[index]


def test_the_store_is_bounded_oldest_first() -> None:
    fake = FakeClaude(clock=FakeClock(), file_limits=FileLimits(max_total_bytes=25, max_files=3))
    ids = [fake.files.create(b"x" * 10, filename=f"{i}", mime_type="text/plain")["id"] for i in range(3)]
    assert [f["id"] for f in fake.files.list_page(limit=10, page_token=None)[0]] == ids[:0:-1]  # 30 bytes > 25
    more = [fake.files.create(b"y", filename=f"{i}", mime_type="text/plain")["id"] for i in range(2)]
    kept = [f["id"] for f in fake.files.list_page(limit=10, page_token=None)[0]]
    assert kept == [more[1], more[0], ids[2]] and fake.files.total_bytes == 12  # at most 3 files


@pytest.mark.parametrize(("headers", "body", "message"), [
    ({"content-type": "application/json"}, b"{}", "expected Content-Type multipart/form-data"),
    ({"content-type": "multipart/form-data"}, b"--x--\r\n", "has no boundary"),
    ({"content-type": "multipart/form-data; boundary=x"}, b"--x\r\nContent-Disposition: form-data; name=\"file\"",
     "multipart/form-data"),
    ({"content-type": "multipart/form-data; boundary=x"},
     b"--x\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n--x--\r\n", "file: Field required"),
    ({"content-type": "multipart/form-data; boundary=x"},
     b"--x\r\nContent-Disposition: form-data; name=\"expires_in_seconds\"\r\n\r\n60\r\n--x\r\n"
     b"Content-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nz\r\n--x--\r\n",
     "expires_in_seconds: Input should be greater than or equal to 3600"),
])
def test_malformed_uploads_get_a_400_not_a_500(
    sdk: anthropic.Anthropic, headers: dict[str, str], body: bytes, message: str
) -> None:
    answer = sdk._client.post(f"{str(sdk.base_url).rstrip('/')}/v1/files", content=body,
                              headers={"x-api-key": "sk-test", "anthropic-version": "2023-06-01", **headers})
    assert answer.status_code == 400
    assert answer.json()["error"]["type"] == "invalid_request_error"
    assert message in answer.json()["error"]["message"]


def test_a_binary_upload_larger_than_the_messages_limit_passes_the_socket_unchanged() -> None:
    """33 MB of arbitrary bytes (CRs, LFs and dashes included) through the aiohttp app: above the 32 MB
    Messages limit, under the Files API's 500 MB; stored and downloadable byte for byte."""
    data = random.Random(11).randbytes(33 * 1024 * 1024)
    assert len(data) > MAX_BODY_BYTES and body_limit("/v1/files") == MAX_FILES_BODY_BYTES == 500 * 1024 * 1024
    fake = FakeClaude(clock=FakeClock())
    with fake.serve() as url:
        sdk = anthropic.Anthropic(api_key="sk-test", base_url=url, max_retries=0)
        meta = sdk.files.upload(file=("blob.bin", data, "application/octet-stream"))
        assert meta.size_bytes == len(data)
        fake.files.create(fake.files.get(meta.id).content, filename="copy.bin", mime_type="application/zip",
                          downloadable=True, file_id="file_011Ccopy")
        assert sdk.files.download("file_011Ccopy").read() == data


def _form(filename: str | None, content: bytes, mime: str | None) -> tuple[dict[str, str], bytes]:
    name = "" if filename is None else f'; filename="{filename}"'
    head = f'--b\r\nContent-Disposition: form-data; name="file"{name}\r\n'
    head += f"Content-Type: {mime}\r\n" if mime else ""
    return {"content-type": "multipart/form-data; boundary=b"}, head.encode() + b"\r\n" + content + b"\r\n--b--\r\n"


@pytest.mark.parametrize(("filename", "mime", "content", "stored_name", "stored_mime"), [
    ("reports/2026/q1.pdf", "application/pdf", b"%PDF-1.7", "q1.pdf", "application/pdf"),
    ("C:\\Users\\me\\chart.png", "image/png", tiny_png(), "chart.png", "image/png"),
    ("", "application/pdf", b"%PDF-1.7", "unnamed.pdf", "application/pdf"),
    (None, None, tiny_png(), "unnamed.png", "image/png"),
    ("data", "text/csv; charset=utf-8", b"a,b\n", "data", "text/csv"),
    ("blob", None, b"\x00\x01", "blob", "application/octet-stream"),
])
def test_filename_and_mime_type_of_an_upload(fake: FakeClaude, filename: str | None, mime: str | None,
                                             content: bytes, stored_name: str, stored_mime: str) -> None:
    headers, body = _form(filename, content, mime)
    reply = call(fake, "POST", "/v1/files", body, headers=headers)
    assert reply.status == 200, reply.body
    meta = body_of(reply)
    assert (meta["filename"], meta["mime_type"], meta["size_bytes"]) == (stored_name, stored_mime, len(content))


def test_list_query_errors(fake: FakeClaude) -> None:
    def get(query: str) -> tuple[int, str]:
        reply = fake.engine.handle(HttpRequest("GET", "/v1/files", dict(parse_qsl(query)), HEADERS, b"", query))
        body = body_of(reply)
        return reply.status, body["error"]["message"] if reply.status != 200 else ""

    ids = "&".join(f"ids[]=file_{i}" for i in range(101))
    assert get(ids) == (400, "ids: List should have at most 100 items after validation, not 101")
    assert get("ids[]=file_1&limit=2") == (400, "ids: cannot be combined with page or limit")
    assert get("limit=0") == (400, "limit: Input should be greater than or equal to 1")
    assert get("page=nope") == (400, "page: Invalid page cursor 'nope'")
    assert call(fake, "PUT", "/v1/files").status == 405
    assert call(fake, "GET", "/v1/files/file_1/content/extra").status == 404


_FUZZED = FakeClaude(clock=FakeClock())  # one fake for every example: building one costs more than the call
_PIECES = [b"--b", b"\r\n", b'Content-Disposition: form-data; name="file"; filename="a"', b"Content-Type: text/plain",
           b'Content-Disposition: form-data; name="expires_in_seconds"', b"3600", b"--b--", b"\n", b"\r", b"x",
           b"\xff\x00", b":", b"\r\n\r\n", b"--"]


@given(st.lists(st.sampled_from(_PIECES) | st.binary(max_size=8), max_size=14),
       st.sampled_from(["multipart/form-data; boundary=b", 'multipart/form-data; boundary="b"',
                        "multipart/form-data; boundary=", "multipart/form-data", "text/plain", ""]))
@settings(max_examples=200)
def test_any_upload_body_gets_200_or_an_api_shaped_400(pieces: list[bytes], content_type: str) -> None:
    reply = call(_FUZZED, "POST", "/v1/files", b"".join(pieces), headers={"content-type": content_type})
    assert reply.status in (200, 400), reply.body
    if reply.status == 400:
        assert body_of(reply)["error"]["type"] == "invalid_request_error"
