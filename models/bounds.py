"""The range of every number a button, a command or a message can carry into the bot.

Ids are 32-bit integers in the database (PostgreSQL INTEGER), so a longer number names nothing;
handed to a driver it fails instead (SQLite overflows past 64 bits, PostgreSQL past 32). Values
out of range are refused where they are parsed, like any other stale or forged input.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_NUMBER = 2**31 - 1
# Ids, pages and list indexes: what callback data carries.
Number = Annotated[int, Field(ge=0, le=MAX_NUMBER)]
# A few choices are coded below zero (-1: "off").
SignedNumber = Annotated[int, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]


def parse_id(text: str) -> int | None:
    """An id as typed ("12", "#12"): ASCII digits naming something that can exist, else None."""
    digits = text.strip().removeprefix("#")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(MAX_NUMBER)):
        return None
    number = int(digits)
    return number if 1 <= number <= MAX_NUMBER else None
