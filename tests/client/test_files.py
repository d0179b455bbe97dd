"""``files`` and ``beta.files`` of ``fakeclaude.Anthropic`` and ``AsyncAnthropic`` against the fake:
the same calls as the official SDK (names, arguments, results), the wire they send (multipart parts,
``ids[]``, the beta query), and the API's errors as the SDK's exception classes."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from fakeclaude import APIStatusError, BadRequestError, NotFoundError
from fakeclaude.client._multipart import encode_multipart
from fakeclaude.server import FakeClaude, FakeClock, FileLimits
from fakeclaude.server.files_form import parse_upload
from fakeclaude.types import DeletedFile, FileMetadata
from tests.seed_support import tiny_pdf, tiny_png

MODEL = "claude-sonnet-4-5"


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=2, clock=FakeClock())


def test_upload_list_retrieve_download_delete(fake: FakeClaude, tmp_path: Path) -> None:
    client = fake.client()
    path = tmp_path / "report.pdf"
    path.write_bytes(tiny_pdf(2))
    uploads = [
        client.files.upload(file=("chart.png", tiny_png(), "image/png")),
        client.files.upload(file=path, expires_in_seconds=7200),
        client.beta.files.upload(file=io.BytesIO(b"a,b\n"), betas=["files-api-2025-04-14"]),
        client.files.upload(file=b"\x89PNG\r\n\x1a\n" + tiny_png()[8:]),
    ]
    assert all(isinstance(u, FileMetadata) for u in uploads)
    assert [u.filename for u in uploads] == ["chart.png", "report.pdf", "upload", "upload"]
    assert [u.mime_type for u in uploads] == ["image/png", "application/pdf", "application/octet-stream",
                                              "image/png"]
    assert uploads[1].expires_at is not None and (uploads[1].expires_at - uploads[1].created_at).seconds == 7200
    assert fake.files.get(uploads[1].id).content == path.read_bytes()
    assert fake.requests[2].query == {}  # as the SDK (2.17) sends it: no ?beta=true
    assert fake.requests[2].headers["anthropic-beta"] == "files-api-2025-04-14"

    assert [f.id for f in client.files.list(limit=3)] == [u.id for u in reversed(uploads)]
    first = client.files.list(limit=3)
    assert len(first.data) == 3 and first.has_next_page() and first.get_next_page().data[0].id == uploads[0].id
    assert [f.id for f in client.files.list(ids=[uploads[2].id, uploads[0].id]).data] == [uploads[2].id, uploads[0].id]
    assert client.files.retrieve_metadata(uploads[0].id).model_dump() == uploads[0].model_dump()

    with pytest.raises(BadRequestError, match="is not downloadable"):
        client.files.download(uploads[0].id)
    made = fake.files.create(b"\x00out\xff", filename="out.bin", mime_type="application/octet-stream",
                             downloadable=True)
    download = client.files.download(made["id"])
    assert (download.read(), download.parse()) == (b"\x00out\xff", b"\x00out\xff")
    download.write_to_file(tmp_path / "copy.bin")
    assert (tmp_path / "copy.bin").read_bytes() == b"\x00out\xff"
    with client.files.with_streaming_response.download(made["id"]) as streamed:
        assert b"".join(streamed.iter_bytes()) == b"\x00out\xff"

    deleted = client.files.delete(uploads[0].id)
    assert isinstance(deleted, DeletedFile) and deleted.type == "file_deleted"
    with pytest.raises(NotFoundError, match="not found"):
        client.files.retrieve_metadata(uploads[0].id)
    with pytest.raises(ValueError, match="file_id"):
        client.files.delete("")
    with pytest.raises(TypeError, match="betas"):
        client.files.list(betas=["files-api-2025-04-14"])  # type: ignore[call-arg]


def test_a_file_used_in_a_message_counts_like_its_bytes_inline(fake: FakeClaude) -> None:
    client = fake.client()
    image = client.files.upload(file=("chart.png", tiny_png(640, 480), "image/png"))
    document = client.beta.files.upload(file=("report.pdf", tiny_pdf(3), "application/pdf"))
    content = [{"type": "image", "source": {"type": "file", "file_id": image.id}},
               {"type": "document", "source": {"type": "file", "file_id": document.id}},
               {"type": "text", "text": "Describe both."}]
    message = client.messages.create(model=MODEL, max_tokens=30, messages=[{"role": "user", "content": content}])
    counted = client.messages.count_tokens(model=MODEL, messages=[{"role": "user", "content": content}])
    assert message.usage.input_tokens == counted.input_tokens
    fake.files.delete(image.id)
    with pytest.raises(NotFoundError, match=f"File '{image.id}' not found"):
        client.messages.create(model=MODEL, max_tokens=30, messages=[{"role": "user", "content": content}])


def test_the_async_twin(fake: FakeClaude, tmp_path: Path) -> None:
    async def run() -> None:
        client = fake.async_client()
        ids = [(await client.files.upload(file=(f"{i}.txt", b"x", "text/plain"))).id for i in range(3)]
        ids.append((await client.beta.files.upload(file=("3.txt", b"y", "text/plain"))).id)
        assert [f.id async for f in client.files.list(limit=2)] == ids[::-1]
        first = await client.files.list(limit=2)
        raw = await client.files.with_raw_response.list(limit=2)
        assert [f.id for f in (await raw.parse()).data] == ids[:1:-1]
        assert first.next_page and [f.id for f in (await first.get_next_page()).data] == ids[1::-1]
        assert (await client.beta.files.retrieve_metadata(ids[0])).filename == "0.txt"
        made = fake.files.create(b"made", filename="m.txt", mime_type="text/plain", downloadable=True)
        download = await client.files.download(made["id"])
        assert await download.read() == b"made" and await download.text() == "made"
        await download.write_to_file(tmp_path / "m.txt")
        assert (tmp_path / "m.txt").read_bytes() == b"made"
        assert (await client.files.delete(ids[0])).id == ids[0]
        with pytest.raises(NotFoundError):
            await client.files.download(ids[0])
        fake.advance(10)
        await client.close()

    asyncio.run(run())


def test_upload_errors_are_the_sdk_exception_classes() -> None:
    fake = FakeClaude(clock=FakeClock(), file_limits=FileLimits(max_file_bytes=10))
    client = fake.client(max_retries=0)
    with pytest.raises(APIStatusError) as too_big:
        client.files.upload(file=("a.bin", b"x" * 11, "application/octet-stream"))
    assert too_big.value.status_code == 413
    with pytest.raises(BadRequestError, match="expires_in_seconds: Input should be less than or equal to 7776000"):
        client.files.upload(file=("a.txt", b"x", "text/plain"), expires_in_seconds=7_776_001)


def test_multipart_encoding_is_what_servers_parse() -> None:
    content_type, body = encode_multipart({}, {"file": ('we"ird\\name.txt', b"\r\n--not-a-boundary\r\n", None)},
                                          boundary="bnd")
    assert content_type == "multipart/form-data; boundary=bnd"
    assert b'filename="we%22ird\\\\name.txt"' in body and b"Content-Type: text/plain" in body
    upload = parse_upload(content_type, body)
    assert upload.content == b"\r\n--not-a-boundary\r\n" and upload.mime_type == "text/plain"
    with pytest.raises(TypeError, match="binary mode"):
        encode_multipart({}, {"file": io.StringIO("text")})  # type: ignore[dict-item]
