"""The model catalogue: ids, aliases, caps, listing order, wire shape, and the real recorded traffic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, get_args

import pytest

from fakeclaude.server.catalog import ModelSpec, list_models, model_info, resolve_model
from tests.real_traffic import INTERACTIONS, interactions


def _spec(name: str) -> ModelSpec:
    spec = resolve_model(name)
    assert spec is not None, name
    return spec


@pytest.mark.parametrize(
    ("alias", "model_id"),
    [
        ("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
        ("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
        ("claude-opus-4-5", "claude-opus-4-5-20251101"),
        ("claude-sonnet-4-0", "claude-sonnet-4-20250514"),
        ("claude-opus-4-0", "claude-opus-4-20250514"),
        ("claude-opus-4-1", "claude-opus-4-1-20250805"),
        ("claude-3-5-haiku-latest", "claude-3-5-haiku-20241022"),
        ("claude-3-opus-latest", "claude-3-opus-20240229"),
        ("claude-3-5-sonnet-latest", "claude-3-5-sonnet-20241022"),
        ("claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219"),
    ],
)
def test_aliases_resolve_to_the_dated_id_the_api_answers_with(alias: str, model_id: str) -> None:
    assert _spec(alias).id == model_id
    assert _spec(model_id).id == model_id
    assert alias in _spec(model_id).aliases


@pytest.mark.parametrize(
    "model_id",
    ["claude-opus-4-6", "claude-sonnet-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-opus-5",
     "claude-sonnet-5", "claude-fable-5", "claude-2.1", "claude-3-haiku-20240307", "claude-3-sonnet-20240229",
     "claude-3-5-sonnet-20240620"],
)  # fmt: skip
def test_undated_and_older_ids_come_back_unchanged(model_id: str) -> None:
    assert _spec(model_id).id == model_id


@pytest.mark.parametrize(
    "name",
    ["claude-does-not-exist", "claude-4-5-haiku", "claude-sonet-4-5", "claude-haiku-4-5-latest", "",
     "CLAUDE-SONNET-4-5", " claude-sonnet-4-5", "claude-sonnet-4-5-20250930", "gpt-4o"],
)  # fmt: skip
def test_unknown_names_are_none(name: str) -> None:
    assert resolve_model(name) is None


@pytest.mark.parametrize(
    ("name", "max_tokens", "context_window"),
    [
        ("claude-3-haiku-20240307", 4096, 200_000),
        ("claude-3-opus-latest", 4096, 200_000),
        ("claude-3-5-haiku-latest", 8192, 200_000),
        ("claude-3-5-sonnet-20240620", 8192, 200_000),
        ("claude-3-7-sonnet-20250219", 64_000, 200_000),
        ("claude-sonnet-4-0", 64_000, 1_000_000),
        ("claude-opus-4-0", 32_000, 200_000),
        ("claude-opus-4-1", 32_000, 200_000),
        ("claude-sonnet-4-5", 64_000, 1_000_000),
        ("claude-haiku-4-5", 64_000, 200_000),
        ("claude-opus-4-5", 64_000, 200_000),
        ("claude-opus-4-6", 128_000, 1_000_000),
        ("claude-opus-5", 128_000, 1_000_000),
    ],
)
def test_output_caps_and_context_windows(name: str, max_tokens: int, context_window: int) -> None:
    spec = _spec(name)
    assert (spec.max_tokens, spec.context_window) == (max_tokens, context_window)


def test_sampling_params_are_refused_from_claude_4_7_on() -> None:
    assert _spec("claude-sonnet-4-6").supports_sampling_params
    assert _spec("claude-3-opus-latest").supports_sampling_params
    assert not _spec("claude-opus-4-7").supports_sampling_params
    assert not _spec("claude-opus-5").supports_sampling_params


def test_minimum_cacheable_prefixes() -> None:
    assert _spec("claude-sonnet-4-5").min_cacheable_tokens == 1024
    assert _spec("claude-3-5-haiku-latest").min_cacheable_tokens == 2048
    assert _spec("claude-haiku-4-5").min_cacheable_tokens == 4096
    assert _spec("claude-sonnet-4-6").min_cacheable_tokens == 1024  # below the 2,048 docs once listed
    assert _spec("claude-sonnet-5").min_cacheable_tokens == 1024
    assert _spec("claude-opus-4-8").min_cacheable_tokens <= 1590  # recorded: a 1,590-token prefix written
    assert _spec("claude-opus-5").min_cacheable_tokens == 512


def test_listing_is_newest_first_and_hides_retired_models_by_default() -> None:
    active = list_models()
    everything = list_models(include_retired=True)
    dates = [m.created_at for m in everything]
    assert dates == sorted(dates, reverse=True)
    assert {m.id for m in active} < {m.id for m in everything}
    assert all(not m.retired for m in active)
    assert "claude-3-opus-20240229" not in {m.id for m in active}
    assert _spec("claude-3-opus-20240229").retired  # retired, yet still resolvable
    assert active[0].created_at >= _spec("claude-opus-5").created_at
    ids = [m.id for m in everything]
    assert len(ids) == len(set(ids))
    assert ids.index("claude-opus-5") < ids.index("claude-sonnet-5") < ids.index("claude-opus-4-8")


def test_every_sdk_known_model_name_resolves() -> None:
    import anthropic.types.model as sdk_model

    literal = get_args(sdk_model.Model)[0]
    for name in get_args(literal):
        assert resolve_model(name) is not None, name


def test_model_info_is_the_wire_shape_the_sdk_parses() -> None:
    from anthropic.types import ModelInfo

    for spec in list_models(include_retired=True):
        wire = model_info(spec)
        assert list(wire)[:4] == ["type", "id", "display_name", "created_at"]
        assert wire["created_at"].endswith("T00:00:00Z")
        assert wire["max_tokens"] == spec.max_tokens
        assert wire["max_input_tokens"] == spec.context_window
        parsed = ModelInfo.model_validate(wire)
        assert parsed.id == spec.id
        assert parsed.lifecycle == ("retired" if spec.retired else parsed.lifecycle)
        assert parsed.capabilities is not None
        json.dumps(wire)  # plain JSON, no mapping proxies


def test_model_info_capabilities_and_lifecycle() -> None:
    opus46 = model_info(_spec("claude-opus-4-6"))
    assert opus46["lifecycle"] == "active"
    caps: dict[str, Any] = opus46["capabilities"]
    assert caps["thinking"]["types"]["adaptive"] == {"supported": True}
    assert caps["effort"]["xhigh"] == {"supported": False}  # recorded 400 for effort xhigh on 4.6
    assert model_info(_spec("claude-opus-4-7"))["capabilities"]["effort"]["xhigh"] == {"supported": True}
    assert model_info(_spec("claude-sonnet-4-5"))["lifecycle"] == "retired"  # past its 2026-11-30 end of life
    assert model_info(_spec("claude-opus-4-5"))["lifecycle"] == "deprecated"
    assert model_info(_spec("claude-2.1"))["capabilities"]["image_input"] == {"supported": False}
    caps["batch"]["supported"] = False  # a copy: the catalogue is not mutated
    assert model_info(_spec("claude-opus-4-6"))["capabilities"]["batch"] == {"supported": True}


def _recorded_models() -> Iterator[tuple[str, int, str | None]]:
    """(requested model, status, model named by the answer) of each recorded Anthropic request."""
    for rec in interactions():
        body = rec.get("req_body")
        url = str(rec.get("url", ""))
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            continue
        if "anthropic" not in url or not url.split("?")[0].endswith(("/v1/messages", "/count_tokens")):
            continue
        status = rec.get("status")
        status = status.get("code") if isinstance(status, dict) else status
        answered = None
        resp = rec.get("resp_json")
        if isinstance(resp, dict) and resp.get("type") == "message":
            answered = resp.get("model")
        for event in rec.get("resp_sse") or []:
            if event.get("event") == "message_start":
                data = event["data"]
                data = json.loads(data) if isinstance(data, str) else data
                answered = data["message"].get("model")
        yield body["model"], int(status or 0), answered


@pytest.mark.skipif(
    not INTERACTIONS.exists(), reason="../shared/real-traffic is absent (not a fakeclaude checkout)"
)
def test_recorded_traffic_models_resolve_as_the_real_api_did() -> None:
    ok = not_found = 0
    for requested, status, answered in _recorded_models():
        spec = resolve_model(requested)
        if status == 200:
            assert spec is not None, requested
            if answered is not None:
                assert spec.id == answered, (requested, answered)
            ok += 1
        elif status == 404:
            assert spec is None, requested
            not_found += 1
    assert ok > 1000 and not_found >= 5
