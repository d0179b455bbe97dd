"""GET /v1/models and /v1/models/{id}: paging over the catalogue, aliases, the 404."""

from __future__ import annotations

import pytest

from fakeclaude.server.catalog import list_models, model_info
from fakeclaude.server.clock import FakeClock, SystemClock, rfc3339
from fakeclaude.server.errors import ApiError
from fakeclaude.server.models_api import list_models_page, retrieve_model


def test_default_page_is_twenty_newest_first() -> None:
    got = list_models_page()
    expected = [m.id for m in list_models()]
    assert [m["id"] for m in got["data"]] == expected[:20]
    assert got["has_more"] is (len(expected) > 20)
    assert got["first_id"] == expected[0] and got["last_id"] == expected[19]
    assert got["data"][0] == model_info(list_models()[0])


def test_walking_pages_forward_and_back_covers_the_catalogue() -> None:
    expected = [m.id for m in list_models(include_retired=True)]
    seen: list[str] = []
    cursor = None
    while True:
        page = list_models_page(after_id=cursor, limit=7, include_retired=True)
        seen += [m["id"] for m in page["data"]]
        cursor = page["last_id"]
        if not page["has_more"]:
            break
    assert seen == expected
    back = list_models_page(before_id=expected[10], limit=3, include_retired=True)
    assert [m["id"] for m in back["data"]] == expected[7:10] and back["has_more"] is True


def test_retired_models_only_when_asked() -> None:
    active = {m["id"] for m in list_models_page(limit=1000)["data"]}
    everything = {m["id"] for m in list_models_page(limit=1000, include_retired=True)["data"]}
    assert "claude-3-haiku-20240307" in everything - active
    retired = list_models_page(limit=1000, lifecycle=["retired"])["data"]
    assert retired and all(m["lifecycle"] == "retired" for m in retired)


def test_alias_cursor_is_accepted() -> None:
    by_id = list_models_page(after_id="claude-haiku-4-5-20251001", limit=2)
    by_alias = list_models_page(after_id="claude-haiku-4-5", limit=2)
    assert by_id == by_alias and by_id["data"]


@pytest.mark.parametrize("limit", [0, 1001, "abc"])
def test_bad_limit_is_400(limit: int | str) -> None:
    with pytest.raises(ApiError) as exc:
        list_models_page(limit=limit)
    assert exc.value.status == 400 and exc.value.message.startswith("limit: ")


def test_retrieve_by_id_and_alias() -> None:
    assert retrieve_model("claude-haiku-4-5")["id"] == "claude-haiku-4-5-20251001"
    info = retrieve_model("claude-haiku-4-5-20251001")
    assert info["type"] == "model" and info["created_at"].endswith("Z")


def test_retrieve_unknown_is_404_model_text() -> None:
    with pytest.raises(ApiError) as exc:
        retrieve_model("claude-sonet-4-5")
    assert (exc.value.status, exc.value.type, exc.value.message) == (
        404,
        "not_found_error",
        "model: claude-sonet-4-5",
    )


def test_clock_helpers() -> None:
    clock = FakeClock()
    assert rfc3339(clock.now()) == "2026-01-01T00:00:00Z"
    clock.advance(10.48796)
    assert rfc3339(clock.now()) == "2026-01-01T00:00:10Z"
    assert rfc3339(clock.now(), micro=True) == "2026-01-01T00:00:10.487960+00:00"
    clock.set(1_787_150_830.48796)
    assert rfc3339(clock.now(), micro=True) == "2026-08-19T14:47:10.487960+00:00"
    with pytest.raises(ValueError):
        clock.advance(-1)
    assert SystemClock().now() > 1_700_000_000
