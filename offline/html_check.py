"""Telegram's HTML parse mode, reproduced closely enough to refuse what Telegram refuses.

The tag scanner follows the algorithm of Telegram's own parser (tdlib ``parse_html``), so the
error wording and byte offsets match what the real Bot API reports.  One rule is deliberately
stricter: Telegram silently keeps a bare ``&`` that does not start an entity, although its
documentation requires escaping it; ``strict_ampersand`` makes that an error so that text
built without escaping is caught before it meets a string where the ``&`` does form an entity.
"""

from __future__ import annotations

from typing import Any

from offline.bot_commands import find_bot_commands
from offline.html_parser import HtmlParser
from offline.parsed_text import (
    PARSE_ERROR_PREFIX,
    EntityParseError,
    ParsedText,
    utf16_len,
)

__all__ = [
    "PARSE_ERROR_PREFIX",
    "EntityParseError",
    "ParsedText",
    "find_bot_commands",
    "parse_html",
    "trim_text",
    "utf16_len",
]


def parse_html(source: str, *, strict_ampersand: bool = True) -> ParsedText:
    """Parse ``source`` as Telegram's HTML parse mode; raise :class:`EntityParseError`."""
    parsed = HtmlParser(source, strict_ampersand=strict_ampersand).run()
    for entity in parsed.entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return parsed


def trim_text(parsed: ParsedText) -> ParsedText:
    """Strip leading/trailing spaces and newlines the way Telegram does before storing."""
    text = parsed.text.rstrip(" \n")
    end = utf16_len(text)
    entities: list[dict[str, Any]] = []
    for entity in parsed.entities:
        if entity["offset"] >= end:
            continue
        clipped = dict(entity)
        clipped["length"] = min(entity["length"], end - entity["offset"])
        entities.append(clipped)
    first_entity = entities[0]["offset"] if entities else len(text)
    skip = 0
    while skip < min(first_entity, len(text)) and text[skip] in " \n":
        skip += 1
    if skip:
        text = text[skip:]
        for entity in entities:
            entity["offset"] -= skip
    return ParsedText(text, entities)
