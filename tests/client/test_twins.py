"""The sync and async surfaces stay in step: same resources, same methods, same parameters."""

from __future__ import annotations

import inspect

import pytest

from fakeclaude.client._async import AsyncAnthropic
from fakeclaude.client._sync import Anthropic
from fakeclaude.client.resources import batches, messages, models

PAIRS = [
    (Anthropic, AsyncAnthropic),
    (messages.Messages, messages.AsyncMessages),
    (batches.Batches, batches.AsyncBatches),
    (models.Models, models.AsyncModels),
]


def public(cls: type) -> dict[str, object]:
    return {name: member for name, member in inspect.getmembers(cls) if not name.startswith("_")}


@pytest.mark.parametrize(("sync", "async_"), PAIRS, ids=lambda c: c.__name__)
def test_same_public_names(sync: type, async_: type) -> None:
    assert set(public(sync)) == set(public(async_))


@pytest.mark.parametrize(("sync", "async_"), PAIRS[1:4], ids=lambda c: c.__name__)
def test_same_parameters(sync: type, async_: type) -> None:
    for name, member in public(sync).items():
        if callable(member):
            other = public(async_)[name]
            assert list(inspect.signature(member).parameters) == list(inspect.signature(other).parameters), name  # type: ignore[arg-type]
            if not name.startswith("with_") and name not in ("list", "stream"):
                assert inspect.iscoroutinefunction(other), f"{async_.__name__}.{name} should be awaited"


def test_the_threads_are_twins() -> None:
    from fakeclaude.client.resources.beta.messages import AsyncBetaMessages, BetaMessages
    from fakeclaude.client.threads import BetaAsyncMessageThread, BetaMessageThread

    assert set(public(BetaMessages)) == set(public(AsyncBetaMessages))
    sync, async_ = public(BetaMessageThread), public(BetaAsyncMessageThread)
    assert set(sync) == set(async_) >= {"send", "parse", "stream", "append", "update", "fork", "tool_runner",
                                         "messages", "params", "previous_message_id"}
    for name, member in sync.items():
        if callable(member):
            assert list(inspect.signature(member).parameters) == list(inspect.signature(async_[name]).parameters)  # type: ignore[arg-type]
            assert inspect.iscoroutinefunction(async_[name]) == (name in ("send", "parse")), name


def test_the_ga_and_beta_messages_share_one_base_per_client_kind() -> None:
    """``client.messages`` and ``client.beta.messages`` send through the same plumbing (sync and async twins):
    neither namespace keeps a request path of its own, so a fix in one cannot miss the other."""
    from fakeclaude.client.resources._messages_base import AsyncMessagesBase, MessagesBase
    from fakeclaude.client.resources.beta.messages import AsyncBetaMessages, BetaMessages

    plumbing = {"_create", "_stream", "_parse", "_count_tokens"}
    for base, namespaces in ((MessagesBase, (messages.Messages, BetaMessages)),
                             (AsyncMessagesBase, (messages.AsyncMessages, AsyncBetaMessages))):
        assert plumbing <= set(vars(base))
        for namespace in namespaces:
            assert issubclass(namespace, base) and not plumbing & set(vars(namespace)), namespace
    assert (messages.Messages._beta, BetaMessages._beta) == (False, True)
    assert (messages.AsyncMessages._beta, AsyncBetaMessages._beta) == (False, True)
    for name in plumbing:
        assert list(inspect.signature(getattr(MessagesBase, name)).parameters) == list(
            inspect.signature(getattr(AsyncMessagesBase, name)).parameters)
        assert inspect.iscoroutinefunction(getattr(AsyncMessagesBase, name)) == (name != "_stream"), name
