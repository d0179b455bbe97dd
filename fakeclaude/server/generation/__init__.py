"""Answer-generation building blocks of the fake server: pure, deterministic functions of a seed.

Nothing here reads the wall clock or the global ``random`` state, and nothing imports an HTTP
library. Same arguments, same output, in any thread.

>>> seed = request_seed(42, {"model": "claude-sonnet-4-6", "max_tokens": 64,
...                          "messages": [{"role": "user", "content": "Hi"}]})
>>> generate_text(seed) == generate_text(seed)
True
>>> IdFactory(seed).new("msg").startswith("msg_011C")
True
>>> generate_tool_input({"name": "get_weather", "input_schema": {"type": "object",
...     "properties": {"location": {"type": "string"}}, "required": ["location"]}}, seed).keys()
dict_keys(['location'])
>>> thinking, signature = generate_thinking(seed, prompt="Hi")
>>> verify_signature(thinking, signature, seed)
True
"""

from ._ids import IdFactory
from ._rng import request_seed
from ._schema import SchemaGenerationError, generate_from_schema
from ._text import generate_text
from ._thinking import (
    THINKING_SECRET,
    generate_thinking,
    is_fake_signature,
    redacted_thinking_data,
    sign_thinking,
    verify_signature,
)
from ._tools import generate_tool_input

__all__ = [
    "IdFactory",
    "SchemaGenerationError",
    "THINKING_SECRET",
    "generate_from_schema",
    "generate_text",
    "generate_thinking",
    "generate_tool_input",
    "is_fake_signature",
    "redacted_thinking_data",
    "request_seed",
    "sign_thinking",
    "verify_signature",
]
