"""Assistant-style English prose from a seed.

A small template grammar (sentence frames with noun / adjective / verb slots) gives fluent,
grammatical sentences; the slots are filled from curated word lists with a private
``random.Random``, so one 60-word answer costs a few tens of microseconds and no Faker call.
When a prompt is given, a couple of its content words become the topic of the answer.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Iterable

from ._rng import derive_seed

__all__ = ["content_words", "generate_text", "prose"]

_NOUNS = (
    "approach", "detail", "example", "factor", "goal", "idea", "method", "option", "pattern",
    "process", "result", "step", "system", "tradeoff", "value", "feature", "question", "context",
    "structure", "outcome", "principle", "choice", "resource", "strategy", "component", "signal",
    "assumption", "constraint", "benefit", "risk", "habit", "model", "source", "version", "rule",
)
_PLURALS = {"process": "processes", "strategy": "strategies", "tradeoff": "tradeoffs"}
_ADJECTIVES = (
    "clear", "simple", "practical", "useful", "common", "careful", "reliable", "flexible", "small",
    "important", "consistent", "familiar", "efficient", "thoughtful", "balanced", "specific", "broad",
    "steady", "helpful", "obvious", "subtle", "key", "solid", "modest", "direct", "gradual", "typical",
)
_VERBS = (
    ("shape", "shapes"), ("explain", "explains"), ("support", "supports"), ("improve", "improves"),
    ("describe", "describes"), ("affect", "affects"), ("reveal", "reveals"), ("connect", "connects"),
    ("reflect", "reflects"), ("highlight", "highlights"), ("clarify", "clarifies"), ("guide", "guides"),
    ("balance", "balances"), ("organize", "organizes"), ("simplify", "simplifies"), ("test", "tests"),
    ("compare", "compares"), ("review", "reviews"), ("adjust", "adjusts"), ("measure", "measures"),
)
_ADVERBS = (
    "carefully", "quickly", "gradually", "clearly", "consistently", "directly", "easily", "usually",
    "often", "naturally", "step by step", "over time", "in practice", "with care",
)

_OPENERS = (
    "Here is a {adj} overview of {topic}.",
    "Good question about {topic}.",
    "Sure, let me walk through {topic}.",
    "Happy to help with {topic}.",
    "Let us look at {topic}.",
    "There are a few {adj} points to cover about {topic}.",
)
_SENTENCES = (
    "{Topic} {verbs} the {adj} {noun} of the {noun2}.",
    "In short, {topic} {verbs} how {nouns} {verb} over time.",
    "A good place to start is the {adj} {noun} behind {topic}.",
    "Most {nouns} {verb} {topic} in {adj} ways, so it helps to {verb2} each {noun} {adv}.",
    "When you look at {topic}, the {adj} {noun} is usually the {noun2}.",
    "It is worth noting that {adj} {nouns} often {verb} the {noun}.",
    "You can {verb} the {noun} {adv} by focusing on {adj} {nouns}.",
    "This {verbs} the {noun} and keeps the {noun2} {adj}.",
    "For example, a {adj} {noun} can {verb} several {nouns} at once.",
    "Overall, {topic} works best when the {nouns} stay {adj}.",
    "Keep in mind that every {noun} has its own {adj} {noun2}.",
    "The {adj} part is that {nouns} {verb} the {noun2} {adv}.",
    "That said, {topic} {verbs} a {adj} {noun} for most {nouns}.",
    "One {adj} {noun} is to {verb} the {nouns} first.",
    "Each {noun} {verbs} the {noun2} in a {adj} way.",
    "Try to {verb} one {noun} at a time.",
    "The {noun} matters.",
    "Then {verb} the {adj} {nouns} {adv}.",
)
_SHORT = (
    "Yes.", "Sure.", "Certainly.", "Good question.", "Here is why.", "It depends.",
    "That is a fair point.", "This usually works well.", "Start with the basics.",
)
_CLOSERS = (
    "Let me know if you would like more detail on {topic}.",
    "I hope this helps.",
    "I can expand on any {noun} if that is useful.",
)

_STOPWORD_TEXT = """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having he
    her here hers herself him himself his how i if in into is isn't it it's its itself just let
    let's me more most my myself no nor not now of off on once only or other ought our ours
    ourselves out over own please same she should shouldn't so some such tell than that that's the
    their theirs them themselves then there there's these they this those through to too under until
    up very was wasn't we were weren't what what's when where which while who whom why will with
    won't would wouldn't you your yours yourself yourselves give make want need like know get
    write short brief using use one two three many much thing things something really today
    tomorrow yesterday currently right now yes okay"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]")
_ARTICLE_RE = re.compile(r"\b([Aa]) (?=[aeiouAEIOU])")


def content_words(prompt: str, limit: int = 8) -> list[str]:
    """The first ``limit`` distinct content words of ``prompt`` (stopwords and short words dropped)."""
    # A capitalised word keeps its case unless it opens the prompt: only the first word found can.
    opening = _WORD_RE.match(prompt)
    if len(prompt) <= _WHOLE_PROMPT_CHARS:
        words: Iterable[str] = _WORD_RE.findall(prompt)
    else:  # a long prompt: stop reading at the limit
        words = map(re.Match.group, _WORD_RE.finditer(prompt))
    seen: set[str] = set()
    out: list[str] = []
    for word in words:
        low = word.lower()
        if len(low) < 3 or low in _STOPWORDS or low in seen:
            opening = None
            continue
        seen.add(low)
        out.append(word if opening is None and word[0].isupper() and not word.isupper() else low)
        opening = None
        if len(out) >= limit:
            break
    return out


_WHOLE_PROMPT_CHARS = 2048
"""Prompts up to this long are cut into words in one ``findall``; longer ones word by word."""


def _plural(noun: str) -> str:
    return _PLURALS.get(noun, noun + "s")


_NOUN_COUNT, _VERB_COUNT = len(_NOUNS), len(_VERBS)
_ADVERB_WORDS = tuple(a.count(" ") + 1 for a in _ADVERBS)
_PLURAL_NOUNS = tuple(_plural(n) for n in _NOUNS)
_SLOT_RE = re.compile(r"\{(\w+)\}")
# Slots drawn together: a frame's first slot of a group draws the whole group (the two nouns differ, and
# so do the two verbs); ``topic`` / ``Topic`` / ``adv`` are given, not drawn.
_GROUP_OF = {"noun": "noun", "noun2": "noun", "verb": "verb", "verb2": "verb", "verbs": "verb",
             "nouns": "nouns", "adj": "adj"}


def _below(bits: Callable[[int], int], n: int) -> int:
    """``Random.randrange(n)`` with the same draws (its rejection sampling on ``getrandbits``), minus its
    argument checks: the hot loop calls it a dozen times per sentence."""
    k = n.bit_length()
    r = bits(k)
    while r >= n:
        r = bits(k)
    return r


class _Frame:
    """A sentence frame: its text, its word count when every slot is one word, and its slot groups in the
    order a left-to-right fill meets them (which is the order their words are drawn in)."""

    __slots__ = ("capitalised", "groups", "has_adv", "has_topic", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = len(text.split())
        self.has_topic = "opic}" in text
        self.has_adv = "{adv}" in text
        self.capitalised = text[0].isupper()  # opens with a capital letter, not a slot
        groups: list[str] = []
        for name in _SLOT_RE.findall(text):
            group = _GROUP_OF.get(name)
            if group is not None and group not in groups:
                groups.append(group)
        self.groups = tuple(groups)

    def size(self, topic_words: int, adv_words: int) -> int:
        return self.words + (topic_words - 1) * self.has_topic + (adv_words - 1) * self.has_adv

    def fill(self, bits: Callable[[int], int], topic: str, adv: str) -> str:
        """The frame with its slots filled, the words drawn from ``bits`` group by group."""
        values = {"topic": topic, "Topic": topic, "adv": adv}
        for group in self.groups:
            if group == "noun":
                first = _below(bits, _NOUN_COUNT)
                second = _below(bits, _NOUN_COUNT - 1)
                second += second >= first
                values["noun"], values["noun2"] = _NOUNS[first], _NOUNS[second]
            elif group == "verb":
                first = _below(bits, _VERB_COUNT)
                second = _below(bits, _VERB_COUNT - 1)
                second += second >= first
                values["verb"], values["verbs"] = _VERBS[first]
                values["verb2"] = _VERBS[second][0]
            elif group == "nouns":
                values["nouns"] = _PLURAL_NOUNS[_below(bits, _NOUN_COUNT)]
            else:
                values["adj"] = _ADJECTIVES[_below(bits, len(_ADJECTIVES))]
        return self.text.format_map(values)


def _frames(texts: tuple[str, ...]) -> tuple[_Frame, ...]:
    return tuple(_Frame(t) for t in texts)


_OPENER_FRAMES = _frames(_OPENERS)
_SENTENCE_FRAMES = _frames(_SENTENCES)
_CLOSER_FRAMES = _frames(_CLOSERS)


@functools.lru_cache(maxsize=512)
def _fitting(topic_words: int, adv_words: int, room: int) -> tuple[_Frame, ...]:
    """The sentence frames of at most ``room`` words (a pure function of small ints: memoised)."""
    return tuple(f for f in _SENTENCE_FRAMES if f.size(topic_words, adv_words) <= room)


class _Filler:
    __slots__ = ("bits", "topics")

    def __init__(self, rnd: random.Random, topics: list[str]) -> None:
        self.bits = rnd.getrandbits
        self.topics = topics

    def sentence(self, frames: tuple[_Frame, ...], room: int) -> tuple[str, int] | None:
        """A filled frame of at most ``room`` words (``None`` if no frame fits)."""
        bits, topics = self.bits, self.topics
        if frames is _OPENER_FRAMES and len(topics) == 2:
            topic = " and ".join(topics)  # openers never use the topic as a verb's subject
        elif topics:
            topic = topics[_below(bits, len(topics))]
        else:
            topic = "the " + _NOUNS[_below(bits, _NOUN_COUNT)]
        adv_index = _below(bits, len(_ADVERBS))
        adv = _ADVERBS[adv_index]
        t_words, a_words = topic.count(" ") + 1, _ADVERB_WORDS[adv_index]
        frame = frames[_below(bits, len(frames))]
        size = frame.size(t_words, a_words)
        if size > room:
            fitting = _fitting(t_words, a_words, room)
            if not fitting:
                return None
            frame = fitting[_below(bits, len(fitting))]
            size = frame.size(t_words, a_words)
        text = frame.fill(bits, topic, adv)
        if " a " in text or text.startswith("A "):
            text = _ARTICLE_RE.sub(_an, text)  # a function: a template replacement costs 3x more here
        return (text if frame.capitalised else text[0].upper() + text[1:]), size


def _an(match: re.Match[str]) -> str:
    return match.group(1) + "n "


def _truncate(sentence: str, words: int) -> str:
    kept = sentence.split()[:words]
    return " ".join(kept).rstrip(".,;:!?") + "."


def generate_text(
    rng_seed: int, *, prompt: str | None = None, min_words: int = 8, max_words: int = 60
) -> str:
    """A few sentences of fluent English, a pure function of the arguments.

    The word count (whitespace-separated) lies in ``[min_words, max_words]``; the text never ends
    with whitespace and is never empty. With ``prompt``, a couple of its content words become the
    topic of the answer.

    >>> generate_text(1) == generate_text(1)
    True
    >>> 3 <= len(generate_text(2, min_words=3, max_words=5).split()) <= 5
    True
    """
    if min_words < 1 or max_words < min_words:
        raise ValueError(f"need 1 <= min_words <= max_words, got {min_words}, {max_words}")
    if prompt is None or len(prompt) <= _MEMO_PROMPT_LIMIT:
        return _memo_text(rng_seed, prompt, min_words, max_words)
    return _fresh_text(rng_seed, prompt, min_words, max_words)


_MEMO_PROMPT_LIMIT = 2048
"""Prompts up to this many characters are memoised with their answer; longer ones are never kept."""


def _fresh_text(rng_seed: int, prompt: str | None, min_words: int, max_words: int) -> str:
    rnd = random.Random(derive_seed("text", rng_seed))
    words = content_words(prompt) if prompt else []
    topics = rnd.sample(words, min(2, len(words))) if words else []
    return prose(rnd, topics, min_words, max_words)


# The same request asked again (a test's retries, a loop over one prompt, a benchmark) gets its text from
# here: ``generate_text`` is a pure function of its arguments, so a bounded memo changes no answer.
_memo_text = functools.lru_cache(maxsize=256)(_fresh_text)


def prose(
    rnd: random.Random, topics: list[str], min_words: int, max_words: int, *, opening: bool = True
) -> str:
    """Sentences about ``topics`` drawn from ``rnd``, between ``min_words`` and ``max_words`` words."""
    filler = _Filler(rnd, topics)
    target = rnd.randint(min_words, max_words)

    sentences: list[str] = []
    count = 0
    frames = _OPENER_FRAMES if opening else _SENTENCE_FRAMES
    while count < target:
        room = max_words - count
        made = filler.sentence(frames, room)
        if made is None:
            short = [s for s in _SHORT if s.count(" ") < room]
            if short:
                sentence = short[rnd.randrange(len(short))]
            else:
                longer = filler.sentence(_SENTENCE_FRAMES, max_words)
                assert longer is not None
                sentence = _truncate(longer[0], room)
            size = sentence.count(" ") + 1
        else:
            sentence, size = made
        sentences.append(sentence)
        count += size
        closing = opening and target - count <= 10 and rnd.random() < 0.3
        frames = _CLOSER_FRAMES if closing else _SENTENCE_FRAMES
    if len(sentences) >= 5:
        cut = len(sentences) // 2
        return " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
    return " ".join(sentences)
