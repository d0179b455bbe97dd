"""Message threads (beta ``message-threads-2026-08-12``): ``client.beta.messages.thread(...)``.

The server keeps the conversation under each reply's ``id``, so a turn sends only its new messages.
:class:`BetaMessageThread` / :class:`BetaAsyncMessageThread` are the sync and async threads, over one
I/O-free state (``_state``); the tool runner threads over the same state by default.
"""

from ._streams import (
    AsyncThreadMessageStream,
    AsyncThreadStreamManager,
    ThreadMessageStream,
    ThreadStreamManager,
)
from ._thread import BetaAsyncMessageThread, BetaMessageThread
from ._wire import THREADS_BETA, UnsupportedRequestBehavior

__all__ = [
    "THREADS_BETA",
    "AsyncThreadMessageStream",
    "AsyncThreadStreamManager",
    "BetaAsyncMessageThread",
    "BetaMessageThread",
    "ThreadMessageStream",
    "ThreadStreamManager",
    "UnsupportedRequestBehavior",
]
