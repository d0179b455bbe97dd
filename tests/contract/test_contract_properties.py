"""Properties of the request contract, over requests drawn from ``fakeclaude.strategies``.

- Every generated valid request is accepted three times over: by ``validate_request``, by the fake
  (``FakeClaude`` in-process through ``httpx2_transport()``, plain and streamed, with the request's
  ``anthropic-version`` header) and by the official SDK's request TypedDicts (pydantic ``TypeAdapter``
  over ``anthropic.types``; what it reads must be the body, so no field is unknown to the SDK; SDK 2.x
  declares no sampling parameters, which only 2023-06-01 takes, so they are left out of that check).
- Every invalid one is refused with exactly its tagged error (status, type, message) by
  ``validate_request`` and by the fake.
- Collecting every violation never changes the first one: for mutated bodies, the first violation is
  what the validator raises when it stops at the first error (as the fake does).
- Request -> JSON -> parse round-trips, through fakeclaude's JSON module and its own TypedDicts.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

import anthropic.types as sdk
import httpx2
import pydantic
from anthropic.types import message_count_tokens_params
from hypothesis import given, settings
from hypothesis import strategies as st

from fakeclaude import _json
from fakeclaude.contract import validate_request
from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation import API_VERSIONS, ValidationOptions, validate_create
from fakeclaude.strategies import InvalidRequest, count_tokens_params, create_params, invalid_create_params
from fakeclaude.types import params

PROPERTIES = settings(settings.get_profile(os.environ.get("FAKECLAUDE_PROPERTY_PROFILE", "contract")))
SDK_CREATE = pydantic.TypeAdapter(sdk.MessageCreateParams)
SDK_COUNT = pydantic.TypeAdapter(message_count_tokens_params.MessageCountTokensParams)
OURS_CREATE = pydantic.TypeAdapter(params.MessageCreateParams)
SAMPLING = ("temperature", "top_p", "top_k")
VERSIONED = st.sampled_from(API_VERSIONS).flatmap(
    lambda v: st.tuples(st.just(v), create_params(api_version=v, stream=None))
)


def sdk_accepts(adapter: pydantic.TypeAdapter[Any], body: dict[str, Any]) -> Any:
    """``body`` as the SDK's TypedDicts read it: validated, with the SDK's lazily checked ``Iterable``
    fields read to the end (so every nested item is validated) and unknown keys dropped."""

    def read(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: read(v) for k, v in value.items()}
        if isinstance(value, list | tuple | Iterator) or type(value).__name__ == "ValidatorIterator":
            return [read(v) for v in value]
        if isinstance(value, pydantic.BaseModel):
            return value.model_dump(mode="json", exclude_unset=True)
        return value

    return read(adapter.validate_python(body))


def post(path: str, body: Any, version: str) -> httpx2.Response:
    fake = FakeClaude(seed=0, clock=FakeClock())
    headers = {"x-api-key": "sk-ant-test", "anthropic-version": version}
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        response = client.post(path, json=body, headers=headers)
        response.read()
    return response


@PROPERTIES
@given(VERSIONED)
def test_valid_requests_are_accepted_by_the_contract_the_fake_and_the_sdk(case: tuple[str, dict[str, Any]]) -> None:
    version, body = case
    assert validate_request(body, api_version=version) == []
    for stream in (False, True):
        response = post("/v1/messages", {**body, "stream": stream}, version)
        assert response.status_code == 200, response.text
        if stream:
            assert response.text.endswith('event: message_stop\ndata: {"type":"message_stop"}\n\n')
    legacy = {k: v for k, v in body.items() if k not in SAMPLING}  # SDK 2.x speaks 2026-10-21: no sampling fields
    assert sdk_accepts(SDK_CREATE, legacy) == legacy


@PROPERTIES
@given(count_tokens_params())
def test_count_tokens_requests_are_accepted(body: dict[str, Any]) -> None:
    assert validate_request(body, endpoint="count_tokens") == []
    response = post("/v1/messages/count_tokens", body, "2023-06-01")
    assert response.status_code == 200, response.text
    assert sdk_accepts(SDK_COUNT, body) == body


@PROPERTIES
@given(st.lists(create_params(stream=False), min_size=1, max_size=2))
def test_batches_of_valid_requests_are_accepted(bodies: list[dict[str, Any]]) -> None:
    batch = {"requests": [{"custom_id": f"req-{i}", "params": {k: v for k, v in b.items() if k != "stream"}}
                          for i, b in enumerate(bodies)]}  # fmt: skip
    assert validate_request(batch, endpoint="batches") == []
    assert post("/v1/messages/batches", batch, "2023-06-01").status_code == 200


@settings(PROPERTIES, max_examples=50)
@given(invalid_create_params())
def test_invalid_requests_get_exactly_their_tagged_error(bad: InvalidRequest) -> None:
    violations = validate_request(bad.body, api_version=bad.api_version)
    assert violations, bad.rule
    assert (violations[0].status, violations[0].type, violations[0].message) == (bad.status, bad.type, bad.message)
    response = post("/v1/messages", bad.body, bad.api_version)
    error = response.json()["error"]
    assert (response.status_code, error["type"], error["message"]) == (bad.status, bad.type, bad.message)


JUNK = st.sampled_from([None, "", "x", -1, 0, 1.5, True, [], {}, [1], {"type": "nope"}, {"type": "text"}])


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        out += _places(child, (*path, key))
    return out


@st.composite
def mutated_bodies(draw: st.DrawFn) -> tuple[str, Any]:
    version = draw(st.sampled_from(API_VERSIONS))
    body = copy.deepcopy(draw(create_params(api_version=version)))
    for _ in range(draw(st.integers(1, 4))):
        places = _places(body)
        where = draw(st.sampled_from(places))
        parent = body
        for step in where[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[where[-1]]
        else:
            parent[where[-1]] = draw(JUNK)
    return version, body


@settings(PROPERTIES, max_examples=60)
@given(mutated_bodies())
def test_collecting_every_violation_keeps_the_apis_first(case: tuple[str, Any]) -> None:
    version, body = case
    violations = validate_request(body, api_version=version)
    try:
        validate_create(body, version=version, options=ValidationOptions())
    except ApiError as error:
        assert violations, error
        assert (violations[0].status, violations[0].type, violations[0].message) == (error.status, error.type, error.message)
    else:
        assert violations == []


@PROPERTIES
@given(VERSIONED)
def test_requests_round_trip_through_json_and_the_wire_model(case: tuple[str, dict[str, Any]]) -> None:
    _, body = case
    assert _json.loads(_json.dumps(body)) == body
    assert json.loads(json.dumps(body)) == body
    assert OURS_CREATE.dump_python(OURS_CREATE.validate_python(body), mode="json") == body
