"""The ``bot_command`` entities Telegram finds in incoming text on its own."""

from __future__ import annotations

from typing import Any

from offline.parsed_text import utf16_len

_MAX_COMMAND = 64
_USERNAME_BOUNDS = range(3, 33)


def find_bot_commands(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities as Telegram adds them to incoming messages."""
    entities: list[dict[str, Any]] = []
    i = 0
    while (i := text.find("/", i)) != -1:
        start = i
        i += 1
        if start > 0 and (_is_word(text[start - 1]) or text[start - 1] in "/<>"):
            continue
        end = _skip_name(text, i)
        if not 1 <= end - i <= _MAX_COMMAND:
            continue
        if end < len(text) and text[end] == "@":
            mention_end = _skip_name(text, end + 1)
            if mention_end - end - 1 not in _USERNAME_BOUNDS:
                continue
            end = mention_end
        if end < len(text) and (_is_word(text[end]) or text[end] in "/<>"):
            continue
        offset = utf16_len(text[:start])
        entities.append(
            {"type": "bot_command", "offset": offset, "length": utf16_len(text[start:end])}
        )
        i = end
    return entities


def _skip_name(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isascii() and (text[pos].isalnum() or text[pos] == "_"):
        pos += 1
    return pos


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"
