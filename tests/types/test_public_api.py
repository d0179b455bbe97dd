"""``fakeclaude.types.__all__`` is sorted, importable, and uses the official SDK's names."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import anthropic.types as sdk
import anthropic.types.messages as sdk_batches

import fakeclaude.types as types

RESPONSE_MODULES = ["batches", "content", "errors", "message", "models", "pages", "stream_events"]


def test_all_is_sorted_unique_and_importable() -> None:
    assert types.__all__ == sorted(types.__all__)
    assert len(set(types.__all__)) == len(types.__all__)
    for name in types.__all__:
        assert getattr(types, name) is not None, name


def test_every_public_name_of_every_module_is_re_exported() -> None:
    for module_name in RESPONSE_MODULES:
        module = importlib.import_module(f"fakeclaude.types.{module_name}")
        assert module.__all__ == sorted(module.__all__), module_name
        for name in module.__all__:
            assert name in types.__all__, f"{module_name}.{name}"
            assert getattr(types, name) is getattr(module, name)


def test_response_class_names_follow_the_official_sdk() -> None:
    for name in [
        "Message", "Usage", "CacheCreation", "ServerToolUsage", "OutputTokensDetails", "StopReason",
        "RefusalStopDetails", "Container", "MessageTokensCount", "ContentBlock", "TextBlock", "TextCitation",
        "CitationCharLocation", "CitationPageLocation", "CitationContentBlockLocation",
        "CitationsWebSearchResultLocation", "CitationsSearchResultLocation", "ToolUseBlock", "ThinkingBlock",
        "RedactedThinkingBlock", "ServerToolUseBlock", "WebSearchToolResultBlock", "WebSearchResultBlock",
        "WebSearchToolResultError", "WebFetchToolResultBlock", "CodeExecutionToolResultBlock",
        "BashCodeExecutionToolResultBlock", "TextEditorCodeExecutionToolResultBlock", "ToolSearchToolResultBlock",
        "ContainerUploadBlock", "DirectCaller", "ServerToolCaller", "ServerToolCaller20260120", "ToolUseCaller",
        "RawMessageStreamEvent", "RawMessageStartEvent", "RawMessageDeltaEvent", "RawMessageStopEvent",
        "RawContentBlockStartEvent", "RawContentBlockDeltaEvent", "RawContentBlockStopEvent",
        "RawContentBlockDelta", "MessageDeltaUsage", "TextDelta", "InputJSONDelta", "CitationsDelta",
        "ThinkingDelta", "SignatureDelta", "MessageStreamEvent", "MessageStartEvent", "MessageDeltaEvent",
        "MessageStopEvent", "ContentBlockStartEvent", "ContentBlockDeltaEvent", "ContentBlockStopEvent",
        "ModelInfo", "ModelCapabilities", "CapabilitySupport", "ErrorResponse", "ErrorObject", "ErrorType",
        "InvalidRequestErrorObject", "AuthenticationErrorObject", "BillingErrorObject", "PermissionErrorObject",
        "NotFoundErrorObject", "RateLimitErrorObject", "GatewayTimeoutErrorObject", "APIErrorObject",
        "OverloadedErrorObject",
    ]:  # fmt: skip
        assert hasattr(sdk, name), f"not an SDK name: {name}"
        assert name in types.__all__, name
    for name in sdk_batches.__all__ if hasattr(sdk_batches, "__all__") else dir(sdk_batches):
        if name.startswith(("MessageBatch", "DeletedMessageBatch")):
            assert name in types.__all__, name


def test_importing_builds_no_schema() -> None:
    """Schemas are built on first use; importing the response modules stays cheap."""
    package_dir = str(Path(types.__file__).resolve().parents[1])
    code = "\n".join(
        [
            # load fakeclaude.types alone, without the rest of the package
            "import sys, types",
            f"pkg = types.ModuleType('fakeclaude'); pkg.__path__ = [{package_dir!r}]",
            "sys.modules['fakeclaude'] = pkg",
            "import fakeclaude.types.message as m, fakeclaude.types.stream_events as s",
            "assert not m.Message.__pydantic_complete__, 'Message schema built at import'",
            "assert s._event._adapter is None",
        ]
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_request_params_are_re_exported() -> None:
    params = importlib.import_module("fakeclaude.types.params")
    missing = sorted(set(params.__all__) - set(types.__all__))
    assert not missing, f"add to fakeclaude/types/__init__.py: {missing}"
