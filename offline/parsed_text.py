"""What Telegram's text parsing yields: the visible text, its entities, and its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PARSE_ERROR_PREFIX = "Bad Request: can't parse entities: "


class EntityParseError(ValueError):
    """Raised with Telegram's wording, without the ``Bad Request: can't parse entities:``."""

    @property
    def description(self) -> str:
        return PARSE_ERROR_PREFIX + str(self)


@dataclass
class ParsedText:
    """Text as the recipient sees it, with entities in Telegram's JSON shape."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit of every Telegram limit and entity offset."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
