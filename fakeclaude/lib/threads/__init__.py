"""``anthropic.lib.threads``: the message thread classes, under the SDK's path.

They live in :mod:`fakeclaude.client.threads`; this module re-exports them.
"""

from ...client.threads import BetaAsyncMessageThread, BetaMessageThread, UnsupportedRequestBehavior

__all__ = ["BetaAsyncMessageThread", "BetaMessageThread", "UnsupportedRequestBehavior"]
