"""The in-process transports hand the engine a lazy view of the request headers: it must read exactly as
the ``dict(headers.items())`` it replaces (lower-case names, repeated ones joined, any bytes)."""

from __future__ import annotations

import httpx
import httpx2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakeclaude.server.header_view import HeaderView

_names = st.sampled_from(["x-api-key", "X-Api-Key", "anthropic-beta", "Anthropic-Version", "x-a", "accept"])
_values = st.binary(min_size=0, max_size=12).filter(lambda b: b"\r" not in b and b"\n" not in b)


@given(pairs=st.lists(st.tuples(_names, _values), max_size=8))
@pytest.mark.parametrize("package", [httpx, httpx2])
def test_reads_as_the_packages_own_dict(package: object, pairs: list[tuple[str, bytes]]) -> None:
    headers = package.Headers([(name.encode(), value) for name, value in pairs])  # type: ignore[attr-defined]
    expected = dict(headers.items())
    view = HeaderView(headers)
    for name in ["x-api-key", "anthropic-beta", "anthropic-version", "x-a", "accept", "missing", "X-Api-Key", "é"]:
        assert view.get(name) == expected.get(name)
        assert (name in view) == (name in expected)
        if name in expected:
            assert view[name] == expected[name]
        else:
            with pytest.raises(KeyError):
                view[name]
    assert view == expected and dict(view) == expected and len(view) == len(expected)
    assert list(view) == list(expected)


def test_a_value_beyond_ascii_reads_as_the_package_decodes_it() -> None:
    headers = httpx2.Headers([(b"x-name", "café".encode()), (b"x-other", b"plain")])
    view = HeaderView(headers)
    assert view.get("x-other") == "plain"
    assert view["x-name"] == dict(headers.items())["x-name"] == "café"


def test_the_engine_logs_the_view() -> None:
    """Through the official SDK: the logged headers are the request's, read as a dict."""
    anthropic = pytest.importorskip("anthropic")
    from fakeclaude.server import FakeClaude

    fake = FakeClaude(seed=0)
    client = anthropic.Anthropic(api_key="sk-test", base_url="http://fake", max_retries=0,
                                 http_client=httpx2.Client(transport=fake.httpx2_transport()))
    client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=[{"role": "user", "content": "hi"}],
                           extra_headers={"X-Custom": "One", "anthropic-beta": "a-1,b-2"})
    logged = fake.requests[-1].headers
    assert "sk-test" in (logged.get("x-api-key") or logged["authorization"]) and logged["x-custom"] == "One"
    assert dict(logged)["anthropic-beta"] == "a-1,b-2"
    assert all(name == name.lower() for name in logged)


def _sdk(fake: object, api_key: str = "sk-test") -> object:
    anthropic = pytest.importorskip("anthropic")
    return anthropic.Anthropic(api_key=api_key, base_url="http://fake", max_retries=0,
                               http_client=httpx2.Client(transport=fake.httpx2_transport()))  # type: ignore[attr-defined]


_PARAMS = {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}


def test_requests_with_equal_headers_share_one_view_in_the_log() -> None:
    """A client sends the same headers on every call: the log keeps one view of them, not one per entry; an
    entry read has them as a plain dict (``json.dumps`` and ``.copy()`` work: a view refused both)."""
    import json

    from fakeclaude.server import FakeClaude

    fake = FakeClaude(seed=0)
    client = _sdk(fake)
    for _ in range(20):
        client.messages.create(**_PARAMS)  # type: ignore[attr-defined]
    client.messages.create(**_PARAMS, extra_headers={"x-custom": "other"})  # type: ignore[attr-defined]
    rows = [row[3] for row in fake.engine.requests._entries]  # as kept, before any is read
    assert len({id(view) for view in rows[:20]}) == 1 and rows[20] is not rows[19]
    read = [entry.headers for entry in fake.requests]
    assert all(type(headers) is dict for headers in read) and read[0] == read[19] == dict(rows[0])
    assert read[20]["x-custom"] == "other" and "x-custom" not in read[19]
    assert json.loads(json.dumps(read[0]))["anthropic-version"] == read[0].copy()["anthropic-version"]


def test_a_view_is_never_handed_out_for_headers_that_changed() -> None:
    from fakeclaude.server.header_view import HeaderViews

    views = HeaderViews()
    headers = httpx2.Headers({"x-api-key": "one", "anthropic-version": "2023-06-01"})
    first = views.of(headers)
    assert views.of(httpx2.Headers({"x-api-key": "one", "anthropic-version": "2023-06-01"})) is first
    headers["x-api-key"] = "two"  # the answered request's own headers changed afterwards
    assert first["x-api-key"] == "one"
    second = views.of(headers)
    assert second is not first and second["x-api-key"] == "two"
    assert views.of(httpx.Headers({"x-api-key": "two", "anthropic-version": "2023-06-01"})) is second


def test_authentication_is_checked_again_whenever_the_headers_change() -> None:
    """Kept per view of the headers: a bad key after a good one (and back), or the ``?beta=true`` surface on
    the same headers, is read afresh."""
    anthropic = pytest.importorskip("anthropic")
    from fakeclaude.server import FakeClaude

    fake = FakeClaude(seed=0, api_keys=["good"])
    good, bad = _sdk(fake, "good"), _sdk(fake, "bad")
    for client, ok in ((good, True), (good, True), (bad, False), (bad, False), (good, True)):
        if ok:
            client.messages.create(**_PARAMS)  # type: ignore[attr-defined]
        else:
            with pytest.raises(anthropic.AuthenticationError, match="invalid x-api-key"):
                client.messages.create(**_PARAMS)  # type: ignore[attr-defined]
    transport = fake.httpx2_transport()
    plain = httpx2.Client(transport=transport, base_url="http://fake")
    headers = {"x-api-key": "good", "anthropic-version": "2023-06-01"}
    for path in ("/v1/messages", "/v1/messages?beta=true", "/v1/messages"):
        assert plain.post(path, json=_PARAMS, headers=headers).status_code == 200
    assert [entry.query for entry in fake.requests[-3:]] == [{}, {"beta": "true"}, {}]
    bad_version = plain.post("/v1/messages", json=_PARAMS, headers={**headers, "anthropic-version": "2099-01-01"})
    assert bad_version.status_code == 400 and "anthropic-version" in bad_version.text
