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
