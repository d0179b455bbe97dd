"""The text generator's memo: repeated requests get the very same text, and long prompts are never kept."""

from __future__ import annotations

from fakeclaude.server.generation import _text
from fakeclaude.server.generation._text import generate_text


def test_a_memoised_text_equals_a_freshly_generated_one() -> None:
    for seed in range(50):
        prompt = f"Tell me about benchmarks number {seed}"
        first = generate_text(seed, prompt=prompt)
        assert generate_text(seed, prompt=prompt) == first == _text._fresh_text(seed, prompt, 8, 60)
        short = generate_text(seed ^ 0x7E57, prompt=prompt, min_words=6, max_words=14)
        assert short == _text._fresh_text(seed ^ 0x7E57, prompt, 6, 14)


def test_repeated_requests_hit_the_memo_and_long_prompts_bypass_it() -> None:
    _text._memo_text.cache_clear()
    generate_text(7, prompt="a short prompt about caching")
    generate_text(7, prompt="a short prompt about caching")
    assert _text._memo_text.cache_info().hits == 1
    long_prompt = "word " * (_text._MEMO_PROMPT_LIMIT // 5 + 1)
    assert generate_text(7, prompt=long_prompt) == _text._fresh_text(7, long_prompt, 8, 60)
    info = _text._memo_text.cache_info()
    assert info.currsize == 1 and info.maxsize == 256  # the long prompt was not kept
