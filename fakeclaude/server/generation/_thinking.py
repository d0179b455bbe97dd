"""Thinking blocks: text, verifiable signatures, redacted data.

Real signatures are opaque base64 (a protobuf-like envelope of a few hundred bytes, starting
``E…``). Here the envelope carries a keyed BLAKE2b MAC of the thinking text, so a server that knows
the secret can check a block sent back in a later turn, and any edit to the text or the signature
is detected. The secret defaults to the block's ``rng_seed``; an engine that must verify blocks
across requests passes its own ``secret_seed`` (the same one it gives ``verify_signature``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random

from ._rng import derive_seed
from ._text import content_words, prose

__all__ = ["generate_thinking", "redacted_thinking_data", "sign_thinking", "verify_signature"]

_OPENINGS = (
    "The user is asking about {topic}.",
    "Let me think about {topic}.",
    "The question here is about {topic}.",
    "I need to work out what the user wants regarding {topic}.",
)
_MIDDLES = (
    "I should consider the main points first and then give a short, direct answer.",
    "There are a couple of angles here, so I will pick the most useful one.",
    "Let me check whether any detail is ambiguous before answering.",
    "I want the answer to be accurate and easy to follow.",
    "A concrete example would probably help.",
)
_ENDINGS = (
    "I will structure the response clearly.",
    "Now I can write the answer.",
    "That should cover it.",
)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return bytes([number << 3 | 2]) + _varint(len(payload)) + payload


def _key(secret_seed: int) -> bytes:
    return derive_seed("thinking.key", secret_seed).to_bytes(8, "big") * 4


def sign_thinking(thinking: str, secret_seed: int) -> str:
    """The signature of ``thinking`` under ``secret_seed`` (deterministic base64)."""
    text = thinking.encode("utf-8", "surrogatepass")
    mac = hashlib.blake2b(text, key=_key(secret_seed), digest_size=64, person=b"fc-thinking").digest()
    pad_len = 96 + min(len(text) // 4, 480)
    pad = hashlib.shake_256(mac + b"pad").digest(pad_len)
    inner = b"\x08\x0f\x18\x02" + _field(5, mac) + _field(6, pad)
    return base64.b64encode(_field(2, inner)).decode("ascii")


def verify_signature(thinking: str, signature: str, secret_seed: int) -> bool:
    """Whether ``signature`` is the one ``sign_thinking(thinking, secret_seed)`` gives."""
    if not isinstance(signature, str) or not isinstance(thinking, str):
        return False
    return hmac.compare_digest(sign_thinking(thinking, secret_seed).encode(), signature.encode("utf-8", "replace"))


def generate_thinking(
    rng_seed: int, *, prompt: str | None = None, secret_seed: int | None = None
) -> tuple[str, str]:
    """``(thinking text, signature)``; the signature verifies with ``secret_seed`` (default ``rng_seed``).

    >>> text, sig = generate_thinking(3, prompt="Why is the sky blue?")
    >>> verify_signature(text, sig, 3), verify_signature(text + "!", sig, 3)
    (True, False)
    """
    rnd = random.Random(derive_seed("thinking", rng_seed))
    words = content_words(prompt) if prompt else []
    topic = " and ".join(words[:2]) if words else "this request"
    parts = [rnd.choice(_OPENINGS).format(topic=topic)]
    parts.extend(rnd.sample(_MIDDLES, rnd.randint(1, 3)))
    parts.append(prose(rnd, words[:2], 10, 40, opening=False).replace("\n\n", " "))
    parts.append(rnd.choice(_ENDINGS))
    text = " ".join(parts)
    return text, sign_thinking(text, rng_seed if secret_seed is None else secret_seed)


def redacted_thinking_data(rng_seed: int) -> str:
    """Opaque base64 ``data`` for a ``redacted_thinking`` block (a pure function of the seed)."""
    rnd = random.Random(derive_seed("redacted", rng_seed))
    body = hashlib.shake_256(derive_seed("redacted.body", rng_seed).to_bytes(8, "big")).digest(
        rnd.randint(180, 600)
    )
    return base64.b64encode(_field(2, b"\x08\x0f\x18\x02" + _field(7, body))).decode("ascii")
