"""Pinned bytes: generated prose, thinking and token counts may get faster, never different.

Seeded answers are part of the fake's contract (recorded cassettes and users' snapshot tests depend on
them), so each test hashes many generated outputs and compares with the digest taken before the speed
work of issue #14; a single changed byte or count anywhere fails it.
"""

from __future__ import annotations

import hashlib
import json
import random

import anthropic
import httpx2

from fakeclaude.server import FakeClaude
from fakeclaude.server.catalog import resolve_model
from fakeclaude.server.generation import generate_text, generate_thinking
from fakeclaude.server.generation._text import _fresh_text, prose
from fakeclaude.server.tokens import count_text_tokens, split_into_tokens
from fakeclaude.server.tokens._text import count_pieces

PROMPTS = [
    None, "", "What's the weather in Paris?", "Explain quantum entanglement to a child", "a b c",
    "Tell me about Rust's borrow checker and lifetimes", "résumé café naïve Ünïcode 東京",
    "x" * 3000 + " Paris london Kubernetes", "UPPER case NASA words Apple", "don't can't won't",
]
RANGES = [(8, 60), (1, 1), (1, 3), (3, 5), (20, 20), (50, 400), (1, 12), (100, 101)]


def test_generated_text_is_pinned() -> None:
    h = hashlib.sha256()
    for seed in range(120):
        for prompt in PROMPTS:
            for low, high in RANGES:
                h.update(_fresh_text(seed, prompt, low, high).encode() + b"\0")
    for seed in range(200):
        topics = ["alpha", "beta gamma"][: seed % 3]
        h.update(prose(random.Random(seed), topics, 10, 40, opening=seed % 2 == 0).encode())
    assert h.hexdigest() == "e702b56844ac052b8f75ee9f9ce783116dbcc5b8dc35ed3455448ca17dce9f7e"


def test_a_few_answers_read_as_pinned() -> None:
    assert generate_text(7, prompt="What's the weather in Paris?", max_words=20) == PARIS
    assert generate_text(3, min_words=1, max_words=3) == SHORT


def test_generated_thinking_is_pinned() -> None:
    h = hashlib.sha256()
    for seed in range(150):
        h.update("\0".join(generate_thinking(seed, prompt=PROMPTS[seed % len(PROMPTS)])).encode() + b"\0")
    assert h.hexdigest() == THINKING


def test_token_counts_are_pinned() -> None:
    rnd = random.Random(5)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 \n\t.,;:!?'\"()[]{}-_/\\éü東京🙂"
    counts = []
    for length in range(0, 6000, 37):
        text = "".join(rnd.choice(alphabet) for _ in range(length))
        counts.append([count_pieces(text, chunk) for chunk in (4, 10)])
    for seed in range(100):
        counts.append([count_text_tokens(generate_text(seed, max_words=200))])
    digest = hashlib.sha256(json.dumps(counts).encode()).hexdigest()
    assert digest == COUNTS


def test_answers_through_the_official_sdk_are_pinned() -> None:
    fake = FakeClaude(seed=0)
    http = httpx2.Client(transport=fake.httpx2_transport())
    h = hashlib.sha256()
    with anthropic.Anthropic(api_key="x", base_url="http://fake", http_client=http, max_retries=0) as client:
        prompts = ["What's the weather in Paris?", "Explain borrow checking in Rust",
                   "Write a haiku about autumn leaves", "Summarise the French revolution"]
        for i, prompt in enumerate(prompts):
            for model in ["claude-sonnet-4-5", "claude-3-5-haiku-20241022", "claude-opus-4-1"]:
                message = client.messages.create(
                    model=model, max_tokens=300 if i else 12, messages=[{"role": "user", "content": prompt}],
                    system="Be brief." if i % 2 else anthropic.omit,
                )
                text = message.content[0].text  # type: ignore[union-attr]
                usage = message.usage
                h.update(json.dumps([text, usage.input_tokens, usage.output_tokens, message.stop_reason]).encode())
    assert h.hexdigest() == "692371755328160e6c16a473975338059d446c0cc3bdc2cfb135b105851a5de6"


PARIS = (
    "Happy to help with weather and Paris. That said, Paris improves a consistent question for most steps."
)
SHORT = "The benefit matters."
THINKING = "9f8846d0b3f553bb0fc5ddd4890008db2b35129413317291a6defa072673d6c7"
COUNTS = "8aa0521c15e33801474f7dd0c09fbe9ec7e16805f3b6be170ae2786306b9c2a9"


def test_streamed_token_pieces_are_pinned() -> None:
    spec = resolve_model("claude-sonnet-4-5")
    h = hashlib.sha256()
    rnd = random.Random(9)
    for seed in range(60):
        text = generate_text(seed, max_words=120) + "".join(rnd.choice(" \n\t.,'9é東🙂abc") for _ in range(40))
        pieces = split_into_tokens(text, spec)
        assert "".join(pieces) == text
        h.update("\0".join(pieces).encode() + b"\1")
    assert h.hexdigest() == PIECES
PIECES = "32041a20d5e1922208d2695ca22b9ab2eff76dfbdbb24af12ddfe34bc58fc14c"
