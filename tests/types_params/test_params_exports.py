"""The public surface of fakeclaude.types.params stays honest and matches the official SDK's names."""

import importlib
import pkgutil
import typing

import fakeclaude.types.params as params


def test_all_is_sorted_unique_and_importable() -> None:
    assert params.__all__ == sorted(set(params.__all__))
    for name in params.__all__:
        assert getattr(params, name) is not None, name


def test_every_public_name_of_every_private_module_is_reexported() -> None:
    exported = set(params.__all__)
    for info in pkgutil.iter_modules(params.__path__):
        module = importlib.import_module(f"{params.__name__}.{info.name}")
        missing = set(module.__all__) - exported
        assert not missing, f"{info.name}: {sorted(missing)}"
        for name in module.__all__:
            assert getattr(params, name) is getattr(module, name)


def test_names_match_the_official_sdk() -> None:
    import anthropic.types as sdk
    import anthropic.types.beta as sdk_beta
    import anthropic.types.messages as sdk_batches

    # Names that exist only here (helper aliases) or live elsewhere in the SDK.
    ours_only = {
        "AllowedCaller",
        "DocumentSourceParam",
        "ImageMediaType",
        "ImageSourceParam",
        "OutputEffort",
        "ServerToolName",
        "ServiceTier",
        "Speed",
        "SystemParam",
        "ThinkingDisplay",
        "ToolCallerParam",
        "ToolResultContentParam",
        "InputSchema",  # anthropic.types.tool_param.InputSchema
        "ContainerParams",  # anthropic.types.container_params
        "SkillParams",  # anthropic.types.skill_params
        "MessageCreateParams",  # anthropic.types.message_create_params
        "MessageCreateParamsBase",
        "MessageCreateParamsNonStreaming",
        "MessageCreateParamsStreaming",
        "BatchCreateParams",  # anthropic.types.messages
        "BatchListParams",
        "Request",
        "BetaMessageCountTokensParams",  # anthropic.types.beta.message_count_tokens_params
        "BetaMessageCreateParamsBase",  # anthropic.types.beta.message_create_params
    }
    missing = [
        n for n in params.__all__ if n not in ours_only and not hasattr(sdk_beta if n.startswith("Beta") else sdk, n)
    ]
    assert not missing
    assert hasattr(sdk_batches, "BatchCreateParams")
    from anthropic.types.message_create_params import MessageCreateParamsNonStreaming as SdkNonStreaming
    from anthropic.types.messages.batch_create_params import Request as SdkRequest

    assert set(typing.get_type_hints(SdkRequest)) == set(typing.get_type_hints(params.Request))
    # Every body field the SDK types is typed here too, except the account-routing ones.
    sdk_fields = set(typing.get_type_hints(SdkNonStreaming)) - {"user_profile_id", "workspace_id"}
    assert sdk_fields <= set(typing.get_type_hints(params.MessageCreateParamsNonStreaming))


def test_required_keys_follow_the_api() -> None:
    assert params.MessageCreateParamsNonStreaming.__required_keys__ == {"model", "max_tokens", "messages"}
    assert params.MessageCreateParamsStreaming.__required_keys__ == {
        "model",
        "max_tokens",
        "messages",
        "stream",
    }
    assert params.MessageCountTokensParams.__required_keys__ == {"model", "messages"}
    assert params.ThinkingConfigEnabledParam.__required_keys__ == {"type", "budget_tokens"}
    assert params.ToolParam.__required_keys__ == {"name", "input_schema"}
    assert params.ToolResultBlockParam.__required_keys__ == {"type", "tool_use_id"}
    assert params.CacheControlEphemeralParam.__optional_keys__ == {"ttl"}
    assert params.Request.__required_keys__ == {"custom_id", "params"}
