"""Thinking blocks: text, verifiable signatures, redacted data.

Real signatures are opaque base64 (a protobuf-like envelope of a few hundred bytes, starting
``E…``). Here the envelope carries the thinking text's digest and a keyed BLAKE2b MAC of it, so a
server that knows the secret can check a block sent back in a later turn: any edit to the text or the
signature is detected, and an empty text (``display: "omitted"``) passes with a genuine signature.
The secret defaults to the block's ``rng_seed``; the engine signs with :data:`THINKING_SECRET`, the
one secret of every fake, and refuses echoed blocks whose fake signature does not verify
(:func:`is_fake_signature` tells those from real API signatures, which are accepted unchecked).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import random

from ._rng import derive_seed
from ._text import content_words, prose

__all__ = [
    "THINKING_SECRET", "generate_thinking", "is_fake_signature", "redacted_thinking_data", "sign_thinking",
    "verify_signature",
]

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


#: The envelope's fixed head (``\x10``: this format); real signatures and older fakeclaude ones differ.
_SIGNATURE_HEAD = b"\x08\x10\x18\x02"
#: The secret a fake signs its thinking with: one for every fake, as the API has one key, so a block
#: echoed to another fake (or after ``fakeclaude serve`` restarts with another seed) still verifies.
THINKING_SECRET = derive_seed("fakeclaude.thinking.secret")


def _text_digest(text: bytes) -> bytes:
    return hashlib.blake2b(text, digest_size=32, person=b"fc-thinking-txt").digest()


def _mac(digest: bytes, secret_seed: int) -> bytes:
    return hashlib.blake2b(digest, key=_key(secret_seed), digest_size=32, person=b"fc-thinking").digest()


def sign_thinking(thinking: str, secret_seed: int) -> str:
    """The signature of ``thinking`` under ``secret_seed`` (deterministic base64).

    The envelope carries the text's digest and a keyed MAC of it, so a block sent back verifies with its
    text, or with no text at all (``display: "omitted"`` blocks come back with empty ``thinking``).
    """
    text = thinking.encode("utf-8", "surrogatepass")
    digest = _text_digest(text)
    mac = _mac(digest, secret_seed)
    pad = hashlib.shake_256(mac + b"pad").digest(96 + min(len(text) // 4, 480))
    inner = _SIGNATURE_HEAD + _field(5, mac) + _field(7, digest) + _field(6, pad)
    return base64.b64encode(_field(2, inner)).decode("ascii")


def _length_delimited(raw: bytes, tag: int) -> bytes | None:
    """The payload of ``raw`` when it is exactly one length-delimited field ``tag`` (varint length)."""
    if not raw or raw[0] != tag:
        return None
    size, start = 0, 1
    for shift in (0, 7, 14):  # lengths here fit in three varint bytes
        if start >= len(raw):
            return None
        size |= (raw[start] & 0x7F) << shift
        start += 1
        if not raw[start - 1] & 0x80:
            break
    payload = raw[start:]
    return payload if len(payload) == size else None


def _opened(signature: object) -> tuple[bytes, bytes, bytes] | None:
    """``(mac, text digest, padding)`` of a signature in this module's envelope, None for anything else."""
    if not isinstance(signature, str) or not signature.startswith("E"):
        return None
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return None
    inner = _length_delimited(raw, 0x12)
    if inner is None or not inner.startswith(_SIGNATURE_HEAD):
        return None
    if inner[4:6] != b"\x2a\x20" or inner[38:40] != b"\x3a\x20":
        return None
    pad = _length_delimited(inner[72:], 0x32)
    if pad is None:
        return None
    return inner[6:38], inner[40:72], pad


def is_fake_signature(signature: object) -> bool:
    """Whether ``signature`` is in the envelope a fake signs with (real API signatures are not)."""
    return _opened(signature) is not None


def verify_signature(thinking: str, signature: str, secret_seed: int) -> bool:
    """Whether ``signature`` was made by ``sign_thinking(thinking, secret_seed)``; an empty ``thinking`` (an
    omitted display) only needs a signature made under ``secret_seed``."""
    opened = _opened(signature)
    if opened is None or not isinstance(thinking, str):
        return False
    mac, digest, pad = opened
    if not hmac.compare_digest(mac, _mac(digest, secret_seed)):
        return False
    if pad != hashlib.shake_256(mac + b"pad").digest(len(pad)):
        return False
    return thinking == "" or hmac.compare_digest(digest, _text_digest(thinking.encode("utf-8", "surrogatepass")))


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
