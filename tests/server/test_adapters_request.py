"""How ``fakeclaude serve`` hands a request's headers to the engine: lower-case names, repeats joined."""

from __future__ import annotations

from multidict import CIMultiDict, CIMultiDictProxy

from fakeclaude.server.adapters import app


def _headers(*pairs: tuple[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(pairs))


def test_names_are_lower_case_and_each_request_keeps_its_own_values() -> None:
    first = app._lower_headers(_headers(("X-Api-Key", "k1"), ("Content-Type", "application/json")))
    second = app._lower_headers(_headers(("X-Api-Key", "k2"), ("Content-Type", "text/plain")))
    assert first == {"x-api-key": "k1", "content-type": "application/json"}
    assert second == {"x-api-key": "k2", "content-type": "text/plain"}  # the names' lowering is shared, not the values


def test_a_name_sent_twice_in_any_case_has_its_values_joined() -> None:
    seen = app._lower_headers(_headers(("Anthropic-Beta", "one"), ("x-api-key", "k"), ("anthropic-beta", "two")))
    assert seen == {"anthropic-beta": "one, two", "x-api-key": "k"}
    again = app._lower_headers(_headers(("Anthropic-Beta", "one"), ("x-api-key", "k")))
    assert again == {"anthropic-beta": "one", "x-api-key": "k"}


def test_the_kept_name_lists_are_bounded() -> None:
    for i in range(app._MAX_LOWERED + 10):
        assert app._lower_headers(_headers((f"X-N{i}", "v"))) == {f"x-n{i}": "v"}
    assert len(app._LOWERED) <= app._MAX_LOWERED
