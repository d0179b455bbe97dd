"""The request TypedDicts and the validator agree: a field, tag or value is accepted iff the wire model declares it.

Hypothesis builds every request object the validator checks field by field from its TypedDict in
``fakeclaude.types.params`` (blocks, sources, messages, thinking, tool choices, tools, output options,
container, thread, the top-level bodies of create, count_tokens and batches, GA and beta): any subset of
its optional fields (with its required ones) is accepted, a field it does not declare is refused with
the API's ``Extra inputs are not permitted`` at that field, a missing required one with ``Field
required``. Every tag of a tagged union is accepted and an unknown one refused with the union's tags,
in order; every value of a Literal is accepted and any other string refused.

Both sides read the same TypedDicts, so a second test holds the wire model itself to the official SDK's
TypedDicts (``anthropic.types`` and ``anthropic.types.beta``): ours declare at least their fields and
values, so narrowing a TypedDict fails there, and narrowing the validator fails here. There is no
known disagreement left: ``ImageBlockParam.transformations`` and ``toolset_name`` on ``tool_use`` /
``tool_result`` (the official SDK's GA TypedDicts send them; spec §2.1) are accepted.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation import (
    ValidationOptions,
    validate_batch_create,
    validate_count_tokens,
    validate_create,
)
from fakeclaude.server.validation._wire_model import (
    field_names,
    field_values,
    literal_values,
    members,
    required_fields,
    tags,
)
from fakeclaude.types import params

OLD = "2023-06-01"
NEW = "2026-10-21"
SCHEMA_ONLY = ValidationOptions(mode="lenient")
BETA = frozenset({"some-beta-2026-01-01"})
THREADS = frozenset({"message-threads-2026-08-12"})
FORMAT = frozenset({"structured-outputs-2025-11-13"})
CACHE = {"type": "ephemeral"}
SCHEMA = {"type": "object", "properties": {}}
#: A valid value for every field the objects below declare (``type`` and clashing names are set per case).
SAMPLES: dict[str, Any] = {
    "text": "Hello",
    "cache_control": CACHE,
    "citations": None,
    "title": "A title",
    "context": "Some context",
    "content": "Hi",
    "name": "get_weather",
    "description": "The weather",
    "input_schema": SCHEMA,
    "strict": True,
    "defer_loading": False,
    "eager_input_streaming": False,
    "input_examples": [{}],
    "allowed_callers": ["direct"],
    "display": "summarized",
    "budget_tokens": 2048,
    "block_binding": {},
    "prefix_mismatch_behavior": "error",
    "disable_parallel_tool_use": True,
    "data": "AAAA",
    "transformations": {"oversized_image": "downsize"},
    "toolset_name": "files",
    "caller": {"type": "direct"},
    "is_error": False,
    "url": "https://example.com/a",
    "file_id": "file_011CabcDEF",
    "tool_name": "get_weather",
    "effort": "low",
    "format": {"type": "json_schema", "schema": SCHEMA},
    "task_budget": {"type": "tokens", "total": 20000},
    "schema": SCHEMA,
    "total": 20000,
    "remaining": 100,
    "user_id": "user-1",
    "id": "container_1",
    "skills": [],
    "skill_id": "pptx",
    "version": "latest",
    "previous_message_id": "msg_011CabcDEF",
    "clear_at": "never",
    "output_config": {},
    "role": "user",
    # top-level body fields
    "model": "claude-sonnet-4-5",
    "max_tokens": 64,
    "messages": [{"role": "user", "content": "Hi"}],
    "system": "Be brief",
    "stop_sequences": ["STOP"],
    "stream": False,
    "temperature": 0.5,
    "top_k": 5,
    "top_p": 0.5,
    "metadata": {},
    "tools": [],
    "tool_choice": {"type": "auto"},
    "thinking": {"type": "disabled"},
    "service_tier": "auto",
    "container": "container_1",
    "inference_geo": "us",
    "speed": "standard",
    "diagnostics": {},
    "mcp_servers": [],
    "context_management": {},
    "compaction": None,  # an object compacts, and refuses reply-shaping fields other samples set
    "fallbacks": "default",
    "fallback_credit_token": "token",
    "billing_policy": {},
    "output_format": {"type": "json_schema", "schema": SCHEMA},
    "thread": {"type": "create"},
    "custom_id": "req-1",
}
SAMPLES["params"] = {k: SAMPLES[k] for k in ("model", "max_tokens", "messages")}
SAMPLES["requests"] = [{"custom_id": "req-1", "params": SAMPLES["params"]}]
UNDECLARED = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
Place = Callable[[dict[str, Any]], Any]


def body(**over: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}
    out.update(over)
    return out


def in_block(block: dict[str, Any]) -> dict[str, Any]:
    return body(messages=[{"role": "user", "content": [block]}])


def image_source(source: dict[str, Any]) -> dict[str, Any]:
    return in_block({"type": "image", "source": source})


def document_source(source: dict[str, Any]) -> dict[str, Any]:
    return in_block({"type": "document", "source": source})


def after_user(message: dict[str, Any]) -> dict[str, Any]:
    return body(messages=[{"role": "user", "content": "Hi"}, message])


@dataclass(frozen=True)
class Case:
    """One request object: its TypedDict, where it sits (``place`` builds a body around it) and its error path."""

    typed_dict: Any
    path: str
    place: Place
    tag: str | None = None
    betas: frozenset[str] = frozenset()
    version: str = OLD
    validate: Callable[..., Any] = validate_create
    over: dict[str, Any] = field(default_factory=dict)
    tag_key: str = "type"

    def build(self, chosen: set[str]) -> dict[str, Any]:
        required = required_fields(self.typed_dict, self.tag_key)
        out = {name: self.over[name] if name in self.over else SAMPLES[name] for name in (*required, *sorted(chosen))}
        return out if self.tag is None else {self.tag_key: self.tag, **out}

    def optional(self) -> list[str]:
        return sorted(field_names(self.typed_dict) - {self.tag_key, *required_fields(self.typed_dict, self.tag_key)})

    def run(self, obj: dict[str, Any]) -> None:
        self.validate(self.place(obj), version=self.version, options=SCHEMA_ONLY, betas=self.betas)

    def refused(self, obj: dict[str, Any]) -> str:
        with pytest.raises(ApiError) as info:
            self.run(obj)
        return info.value.message


def tagged(union: Any, path: str, place: Place, **kw: Any) -> dict[str, Case]:
    """A case per member of a tagged union; the tag goes in the error path, as the API puts it."""
    dot = f"{path}." if path else ""
    return {f"{path or 'body'}.{tag}": Case(m, f"{dot}{tag}", place, tag=tag, **kw) for tag, m in tags(union).items()}


P = params
SOURCE_BLOCKS = {
    "search_result": {"source": "https://example.com", "content": [{"type": "text", "text": "found"}]},
    "thinking": {"thinking": "Let me see.", "signature": "c2ln"},
}
CASES: dict[str, Case] = {
    # content blocks
    **{f"block.{tag}": Case(getattr(P, name), f"messages.0.content.0.{tag}", in_block, tag=tag, over=SOURCE_BLOCKS.get(tag, {}))
       for tag, name in [("text", "TextBlockParam"), ("search_result", "SearchResultBlockParam"),
                         ("thinking", "ThinkingBlockParam"), ("redacted_thinking", "RedactedThinkingBlockParam"),
                         ("container_upload", "ContainerUploadBlockParam")]},
    "block.image": Case(P.ImageBlockParam, "messages.0.content.0.image", in_block, tag="image",
                        over={"source": {"type": "url", "url": "https://example.com/a.png"}}),
    "block.tool_use": Case(P.ToolUseBlockParam, "messages.1.content.0.tool_use",
                           lambda b: after_user({"role": "assistant", "content": [b]}), tag="tool_use",
                           over={"id": "toolu_1", "input": {}}),
    "block.tool_result": Case(P.ToolResultBlockParam, "messages.0.content.0.tool_result", in_block,
                              tag="tool_result", over={"tool_use_id": "toolu_1"}),
    "block.document": Case(P.DocumentBlockParam, "messages.0.content.0.document", in_block, tag="document",
                           over={"source": {"type": "text", "media_type": "text/plain", "data": "Hi"}}),
    "block.tool_reference": Case(
        P.ToolReferenceBlockParam, "messages.0.content.0.tool_result.content.0.tool_reference",
        lambda b: in_block({"type": "tool_result", "tool_use_id": "toolu_1", "content": [b]}), tag="tool_reference"),
    # sources
    **tagged(P.ImageSourceParam, "messages.0.content.0.image.source", image_source,
             over={"media_type": "image/png"}),
    **tagged(P.DocumentSourceParam, "messages.0.content.0.document.source", document_source,
             over={"media_type": "application/pdf"}),
    "messages.0.content.0.document.source.text": Case(
        P.PlainTextSourceParam, "messages.0.content.0.document.source.text", document_source, tag="text",
        over={"media_type": "text/plain"}),
    # messages
    "message.user": Case(P.UserMessageParam, "messages.0", lambda m: body(messages=[m]), tag="user", tag_key="role"),
    "message.assistant": Case(P.AssistantMessageParam, "messages.1", after_user, tag="assistant", tag_key="role"),
    "message.system": Case(P.SystemMessageParam, "messages.1", after_user, tag="system", tag_key="role",
                           version=NEW),
    "message.system.beta": Case(P.BetaSystemMessageParam, "messages.1", after_user, tag="system",
                                tag_key="role", betas=BETA),
    "message.system.output_config": Case(P.BetaSystemMessageOutputConfigParam, "messages.1.output_config",
                                         lambda c: after_user({"role": "system", "output_config": c}), betas=BETA),
    # options
    **tagged(P.ThinkingConfigParam, "thinking", lambda t: body(thinking=t)),
    **{f"{k}.beta": v for k, v in tagged(P.BetaThinkingConfigParam, "thinking", lambda t: body(thinking=t),
                                          betas=BETA).items()},
    "thinking.block_binding": Case(P.BetaThinkingBlockBindingParam, "thinking.adaptive.block_binding",
                                   lambda b: body(thinking={"type": "adaptive", "block_binding": b}), betas=BETA),
    **tagged(P.ToolChoiceParam, "tool_choice", lambda c: body(tool_choice=c)),
    "tool.custom": Case(P.ToolParam, "tools.0.custom", lambda t: body(tools=[t])),
    "metadata": Case(P.MetadataParam, "metadata", lambda m: body(metadata=m)),
    "output_config": Case(P.OutputConfigParam, "output_config", lambda c: body(output_config=c)),
    "output_config.format": Case(P.JSONOutputFormatParam, "output_config.format",
                                 lambda f: body(output_config={"format": f}), tag="json_schema"),
    "output_config.task_budget": Case(P.BetaTokenTaskBudgetParam, "output_config.task_budget",
                                      lambda t: body(output_config={"task_budget": t}), tag="tokens"),
    "output_format": Case(P.BetaJSONOutputFormatParam, "output_format", lambda f: body(output_format=f),
                          tag="json_schema", betas=FORMAT),
    "container": Case(P.ContainerParams, "container", lambda c: body(container=c), version=NEW),
    "container.skill": Case(P.SkillParams, "container.skills.0", lambda s: body(container={"skills": [s]}),
                            version=NEW, tag="anthropic"),
    "diagnostics": Case(P.DiagnosticsParam, "diagnostics", lambda d: body(diagnostics=d)),
    **tagged(P.BetaMessageThreadParam, "thread", lambda t: body(thread=t), betas=THREADS),
    # top-level bodies, per endpoint and surface
    "body.create": Case(P.MessageCreateParamsNonStreaming, "", lambda b: b),
    "body.create.2026": Case(P.MessageCreateParamsNonStreaming, "", lambda b: b, version=NEW,
                             over={"temperature": None, "top_k": None, "top_p": None}),
    "body.create.beta": Case(P.BetaMessageCreateParamsBase, "", lambda b: b, betas=BETA | THREADS | FORMAT),
    "body.count_tokens": Case(P.MessageCountTokensParams, "", lambda b: b, validate=validate_count_tokens),
    "body.count_tokens.beta": Case(P.BetaMessageCountTokensParams, "", lambda b: b, betas=BETA | FORMAT,
                                   validate=validate_count_tokens),
    "body.batch": Case(P.BatchCreateParams, "", lambda b: b, validate=validate_batch_create),
    "body.batch.request": Case(P.Request, "requests.0", lambda r: {"requests": [r]}, validate=validate_batch_create),
}  # fmt: skip
#: Fields a version refuses although the TypedDict (which serves both versions) declares them.
VERSION_RULES = {"body.create.2026": {"temperature", "top_k", "top_p"}}


def _usable(case: Case, names: list[str]) -> list[str]:
    """Optional fields whose sample is valid here (``None`` in ``over`` drops one, as for the 2026 body)."""
    return [n for n in names if not (n in case.over and case.over[n] is None) and n not in VERSION_RULES.get(_key(case), ())]


def _key(case: Case) -> str:
    return next(k for k, v in CASES.items() if v is case)


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_fields_agree(name: str, data: st.DataObject) -> None:
    """Any subset of the declared fields is accepted; an undeclared one is refused at its path."""
    case = CASES[name]
    usable = _usable(case, case.optional())
    chosen = data.draw(st.sets(st.sampled_from(usable)) if usable else st.just(set()))
    obj = case.build(chosen)
    case.run(obj)
    extra = data.draw(UNDECLARED.filter(lambda n: n not in field_names(case.typed_dict)))
    dot = f"{case.path}." if case.path else ""
    assert case.refused({**obj, extra: "x"}) == f"{dot}{extra}: Extra inputs are not permitted"


@pytest.mark.parametrize("name", sorted(CASES))
def test_required_fields_agree(name: str) -> None:
    """Each required field of the TypedDict, left out, is the API's ``Field required`` at its path."""
    case = CASES[name]
    obj = case.build(set())
    dot = f"{case.path}." if case.path else ""
    for missing in required_fields(case.typed_dict, case.tag_key):
        assert case.refused({k: v for k, v in obj.items() if k != missing}) == f"{dot}{missing}: Field required"


@pytest.mark.parametrize("name", sorted(VERSION_RULES))
def test_version_rules(name: str) -> None:
    case = CASES[name]
    for field_name in VERSION_RULES[name]:
        assert case.refused({**case.build(set()), field_name: 1}) == f"{field_name}: Extra inputs are not permitted"


def _unknown_tag_message(place: Place, betas: frozenset[str] = frozenset(), version: str = OLD) -> str:
    with pytest.raises(ApiError) as info:
        validate_create(place({"type": "zzz_unknown"}), version=version, options=SCHEMA_ONLY, betas=betas)
    return info.value.message


def _listed(message: str) -> list[str]:
    return [t.strip().strip("'") for t in message.split("expected tags: ", 1)[1].split(",")]


#: Each tagged union, where it sits, and the tags the validator adds after the wire model's (beta ones).
UNIONS: dict[str, tuple[Any, Place, frozenset[str], tuple[str, ...]]] = {
    "content block": (P.ContentBlockParam, in_block, frozenset(),
                      ("mcp_tool_use", "advisor_tool_result", "mcp_tool_result", "compaction", "mcp_tool_listing",
                       "fallback")),
    "tool_result content": (P.ToolResultContentParam,
                            lambda b: in_block({"type": "tool_result", "tool_use_id": "toolu_1", "content": [b]}),
                            frozenset(), ()),
    "custom document content": (P.ContentBlockSourceContentParam,
                                lambda b: document_source({"type": "content", "content": [b]}), frozenset(), ()),
    "system": (P.TextBlockParam, lambda b: body(system=[b]), frozenset(), ()),
    "image source": (P.ImageSourceParam, image_source, frozenset(), ()),
    "document source": (P.DocumentSourceParam, document_source, frozenset(), ()),
    "thinking": (P.ThinkingConfigParam, lambda t: body(thinking=t), frozenset(), ()),
    "thinking (beta)": (P.BetaThinkingConfigParam, lambda t: body(thinking=t), BETA, ()),
    "tool_choice": (P.ToolChoiceParam, lambda c: body(tool_choice=c), frozenset(), ()),
    "thread": (P.BetaMessageThreadParam, lambda t: body(thread=t), THREADS, ()),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(UNIONS))
def test_union_tags_agree(name: str) -> None:
    """An unknown tag is refused with exactly the union's tags, in the union's order (then the beta ones)."""
    union, place, betas, beta_tags = UNIONS[name]
    assert _listed(_unknown_tag_message(place, betas)) == [*tags(union), *beta_tags]


def test_tool_types_come_from_the_wire_model() -> None:
    """The Anthropic-defined tool kinds are the wire model's (dated ``type`` values), then ``computer``, ``advisor``."""
    kinds: list[str] = []
    for m in members(P.ToolUnionParam):
        for t in field_values(m, "type"):
            if t[-8:].isdigit() and (kind := t[:-9]) not in kinds:
                kinds.append(kind)
    listed = _listed(_unknown_tag_message(lambda t: body(tools=[t])))
    assert listed == ["custom", *(f"{k}_YYYYMMDD" for k in (*kinds, "computer", "advisor")), "mcp_toolset"]
    for m in members(P.ToolUnionParam):
        if m is not P.ToolParam:
            kind = field_values(m, "type")[0]
            validate_create(body(tools=[{"type": kind, "name": "x"}]), version=OLD, options=SCHEMA_ONLY)


def test_roles_come_from_the_wire_model() -> None:
    ga = tags(P.UserMessageParam | P.AssistantMessageParam, "role")
    with pytest.raises(ApiError) as info:
        validate_create(body(messages=[{"role": "system", "content": "x"}]), version=OLD, options=SCHEMA_ONLY)
    assert info.value.message == "messages.0.role: " + _literal_text(ga)
    with pytest.raises(ApiError) as info:
        validate_create(body(messages=[{"role": "bot", "content": "x"}]), version=NEW, options=SCHEMA_ONLY)
    assert info.value.message == "messages.0.role: " + _literal_text(tags(P.MessageParam, "role"))


def _literal_text(values: Any) -> str:
    parts = [repr(v) for v in values]
    return f"Input should be {', '.join(parts[:-1])} or {parts[-1]}" if len(parts) > 1 else f"Input should be {parts[0]}"


#: Where each value list sits in a request, and the Literal alias it comes from.
VALUE_LISTS: dict[str, tuple[Any, Callable[[str], dict[str, Any]], frozenset[str]]] = {
    "service_tier": (P.ServiceTier, lambda v: body(service_tier=v), frozenset()),
    "speed": (P.Speed, lambda v: body(speed=v), frozenset()),
    "output_config.effort": (P.OutputEffort, lambda v: body(output_config={"effort": v}), frozenset()),
    "cache_control.ttl": (typing.get_type_hints(P.CacheControlEphemeralParam)["ttl"],
                          lambda v: body(cache_control={**CACHE, "ttl": v}), frozenset()),
    "cache_control.type": (typing.get_type_hints(P.CacheControlEphemeralParam)["type"],
                           lambda v: body(cache_control={"type": v}), frozenset()),
    "thinking.adaptive.display": (P.ThinkingDisplay, lambda v: body(thinking={"type": "adaptive", "display": v}),
                                  frozenset()),
    "thinking.adaptive.display (beta)": (
        typing.get_type_hints(P.BetaThinkingConfigAdaptiveParam)["display"],
        lambda v: body(thinking={"type": "adaptive", "display": v}), BETA),
    "thinking.enabled.block_binding.prefix_mismatch_behavior": (
        P.BetaThinkingPrefixMismatchBehavior,
        lambda v: body(thinking={"type": "enabled", "budget_tokens": 2048, "block_binding": {"prefix_mismatch_behavior": v}}),
        BETA),
    "messages.1.clear_at": (typing.get_type_hints(P.BetaSystemMessageParam)["clear_at"],
                            lambda v: after_user({"role": "system", "content": "x", "clear_at": v}), BETA),
    "messages.1.output_config.effort": (P.OutputEffort,
                                        lambda v: after_user({"role": "system", "output_config": {"effort": v}}), BETA),
    "output_config.format.type": (typing.get_type_hints(P.JSONOutputFormatParam)["type"],
                                  lambda v: body(output_config={"format": {"type": v, "schema": SCHEMA}}), frozenset()),
    "output_config.task_budget.type": (typing.get_type_hints(P.BetaTokenTaskBudgetParam)["type"],
                                       lambda v: body(output_config={"task_budget": {"type": v, "total": 5}}),
                                       frozenset()),
    "output_format.type": (typing.get_type_hints(P.BetaJSONOutputFormatParam)["type"],
                           lambda v: body(output_format={"type": v, "schema": SCHEMA}), FORMAT),
    "container.skills.0.type": (typing.get_type_hints(P.SkillParams)["type"],
                                lambda v: body(container={"skills": [{"type": v, "skill_id": "x"}]}),
                                frozenset({"skills-2025-10-02"})),
    "messages.0.content.0.image.source.base64.media_type": (
        P.ImageMediaType, lambda v: image_source({"type": "base64", "media_type": v, "data": "AAAA"}), frozenset()),
    "messages.0.content.0.document.source.base64.media_type": (
        typing.get_type_hints(P.Base64PDFSourceParam)["media_type"],
        lambda v: document_source({"type": "base64", "media_type": v, "data": "AAAA"}), frozenset()),
    "messages.0.content.0.image.transformations.oversized_image": (
        typing.get_type_hints(P.ImageTransformationsParam)["oversized_image"],
        lambda v: in_block({"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"},
                            "transformations": {"oversized_image": v}}), frozenset()),
    "messages.0.content.0.document.source.text.media_type": (
        typing.get_type_hints(P.PlainTextSourceParam)["media_type"],
        lambda v: document_source({"type": "text", "media_type": v, "data": "Hi"}), frozenset()),
}  # fmt: skip


@pytest.mark.parametrize("path", sorted(VALUE_LISTS))
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_value_lists(path: str, data: st.DataObject) -> None:
    alias, make, betas = VALUE_LISTS[path]
    values = literal_values(alias)
    assert values, path
    validate_create(make(data.draw(st.sampled_from(values))), version=OLD, options=SCHEMA_ONLY, betas=betas)
    other = data.draw(st.text(min_size=1, max_size=12).filter(lambda v: v not in values))
    with pytest.raises(ApiError) as info:
        validate_create(make(other), version=OLD, options=SCHEMA_ONLY, betas=betas)
    assert info.value.message == f"{path.split(' ')[0]}: {_literal_text(values)}"


def test_every_body_field_has_a_check() -> None:
    """A field added to a body TypedDict without a check would answer 500: each has one."""
    from fakeclaude.server.validation import _body

    for typed_dict in (P.BetaMessageCreateParamsBase, P.MessageCreateParamsStreaming, P.BetaMessageCountTokensParams):
        assert field_names(typed_dict) <= set(_body._FIELDS), typed_dict.__name__


# ----- the wire model is not narrower than the official SDK's ----------------------------------------
#: Our TypedDict -> the official SDK's (module path under ``anthropic.types``, name).
SDK_TWINS: dict[str, str] = {
    "TextBlockParam": "TextBlockParam",
    "DocumentBlockParam": "DocumentBlockParam",
    "SearchResultBlockParam": "SearchResultBlockParam",
    "ThinkingBlockParam": "ThinkingBlockParam",
    "RedactedThinkingBlockParam": "RedactedThinkingBlockParam",
    "ContainerUploadBlockParam": "ContainerUploadBlockParam",
    "ToolReferenceBlockParam": "ToolReferenceBlockParam",
    "ImageBlockParam": "ImageBlockParam",
    "ImageTransformationsParam": "ImageTransformationsParam",
    "ToolUseBlockParam": "ToolUseBlockParam",
    "ToolResultBlockParam": "ToolResultBlockParam",
    "Base64ImageSourceParam": "Base64ImageSourceParam",
    "URLImageSourceParam": "URLImageSourceParam",
    "Base64PDFSourceParam": "Base64PDFSourceParam",
    "URLPDFSourceParam": "URLPDFSourceParam",
    "PlainTextSourceParam": "PlainTextSourceParam",
    "ContentBlockSourceParam": "ContentBlockSourceParam",
    "MessageParam": "MessageParam",
    "SystemMessageParam": "SystemMessageParam",
    "ThinkingConfigEnabledParam": "ThinkingConfigEnabledParam",
    "ThinkingConfigAdaptiveParam": "ThinkingConfigAdaptiveParam",
    "ThinkingConfigDisabledParam": "ThinkingConfigDisabledParam",
    "ToolChoiceAutoParam": "ToolChoiceAutoParam",
    "ToolChoiceAnyParam": "ToolChoiceAnyParam",
    "ToolChoiceToolParam": "ToolChoiceToolParam",
    "ToolChoiceNoneParam": "ToolChoiceNoneParam",
    "ToolParam": "ToolParam",
    "MetadataParam": "MetadataParam",
    "OutputConfigParam": "OutputConfigParam",
    "JSONOutputFormatParam": "JSONOutputFormatParam",
    "CacheControlEphemeralParam": "CacheControlEphemeralParam",
    "MessageCountTokensParams": "MessageCountTokensParams",
    "MessageCreateParamsNonStreaming": "message_create_params.MessageCreateParamsNonStreaming",
    "BetaThinkingConfigEnabledParam": "beta.BetaThinkingConfigEnabledParam",
    "BetaThinkingConfigAdaptiveParam": "beta.BetaThinkingConfigAdaptiveParam",
    "BetaThinkingBlockBindingParam": "beta.BetaThinkingBlockBindingParam",
    "BetaSystemMessageParam": "beta.BetaSystemMessageParam",
    "BetaSystemMessageOutputConfigParam": "beta.BetaSystemMessageOutputConfigParam",
    "BetaThreadCreateParams": "beta.BetaThreadCreateParams",
    "BetaThreadContinueParams": "beta.BetaThreadContinueParams",
    "BetaTokenTaskBudgetParam": "beta.BetaTokenTaskBudgetParam",
    "BetaJSONOutputFormatParam": "beta.BetaJSONOutputFormatParam",
    "BetaThinkingConfigParam": "beta.BetaThinkingConfigParam",
    "BetaMessageThreadParam": "beta.BetaMessageThreadParam",
    "BetaMessageCreateParamsBase": "beta.message_create_params.MessageCreateParamsNonStreaming",
    "BetaMessageCountTokensParams": "beta.message_count_tokens_params.MessageCountTokensParams",
}
#: SDK fields ours leave out on purpose (sent as headers by the SDK, not in the body; ``stream`` is
#: ``MessageCreateParamsNonStreaming``'s, which the beta body adds).
SDK_ONLY = {"user_profile_id", "workspace_id", "betas", "stream"}


def _sdk(path: str) -> Any:
    import importlib

    module, _, name = ("anthropic.types." + path).rpartition(".")
    return getattr(importlib.import_module(module), name)


def _sdk_typed_dicts(path: str) -> tuple[Any, ...]:
    found = _sdk(path)
    return members(found) or (found,)


def _declared(typed_dicts: tuple[Any, ...]) -> dict[str, set[str]]:
    """Each field the TypedDicts declare, with the Literal values they allow for it (over a union's members)."""
    out: dict[str, set[str]] = {}
    for typed_dict in typed_dicts:
        for name in field_names(typed_dict) - SDK_ONLY:
            out.setdefault(name, set()).update(field_values(typed_dict, name))
    return out


@pytest.mark.parametrize("ours", sorted(SDK_TWINS))
def test_typed_dicts_are_not_narrower_than_the_sdk(ours: str) -> None:
    """Every field the SDK declares is declared here, and every Literal value the SDK allows is allowed here."""
    mine, theirs = _declared(members(getattr(P, ours))), _declared(_sdk_typed_dicts(SDK_TWINS[ours]))
    assert not theirs.keys() - mine.keys(), f"{ours} lacks {sorted(theirs.keys() - mine.keys())}"
    for name, values in theirs.items():
        if name == "model":  # any string is a model id here (ModelParam ends in ``| str``)
            continue
        assert values <= mine[name], f"{ours}.{name} lacks {sorted(values - mine[name])}"


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(P.OutputEffort, "OutputConfigParam.effort"), (P.ServiceTier, "message_create_params.MessageCreateParamsNonStreaming.service_tier"),
     (P.Speed, "message_create_params.MessageCreateParamsNonStreaming.speed"), (P.ImageMediaType, "Base64ImageSourceParam.media_type"),
     (P.ThinkingDisplay, "ThinkingConfigAdaptiveParam.display")],
)  # fmt: skip
def test_value_aliases_are_not_narrower_than_the_sdk(ours: Any, theirs: str) -> None:
    typed_dict, _, name = theirs.rpartition(".")
    assert set(field_values(_sdk(typed_dict), name)) <= set(literal_values(ours))


def test_the_sdk_sends_back_image_transformations_and_toolset_names() -> None:
    """The official SDK's GA types carry ``transformations`` and ``toolset_name``: the fake answers them with 200."""
    import anthropic
    import httpx2

    from fakeclaude.server import FakeClaude

    fake = FakeClaude()
    with anthropic.Anthropic(api_key="k", max_retries=0,
                             http_client=httpx2.Client(transport=fake.httpx2_transport())) as client:
        message = client.messages.create(model="claude-sonnet-4-6", max_tokens=64, messages=[
            {"role": "user", "content": [{"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"},
                                          "transformations": {"oversized_image": "error"}}, {"type": "text", "text": "Hi"}]},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "read", "input": {},
                                               "toolset_name": "files"}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok",
                                          "toolset_name": "files"}]},
        ], tools=[{"name": "read", "input_schema": {"type": "object"}}])  # fmt: skip
    assert message.type == "message"
    assert fake.requests[-1].body["messages"][0]["content"][0]["transformations"] == {"oversized_image": "error"}
