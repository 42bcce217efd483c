"""Card-completeness bands (seed 001): 90–100 % high, 80–89.9 % medium, below 80 % low.

Percentages are kept in tenths of a per cent, so 89.9 % and 90 % never meet in a float.
"""

from __future__ import annotations

import re
from enum import StrEnum

from services.errors import Refused

HIGH_FROM = 900
MEDIUM_FROM = 800
FULL = 1000
_PERCENT = re.compile(r"^(\d{1,3})(?:[.,](\d)\d*)?$")


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def band_of(tenths: int) -> Band:
    if tenths >= HIGH_FROM:
        return Band.HIGH
    if tenths >= MEDIUM_FROM:
        return Band.MEDIUM
    return Band.LOW


def parse_percent(text: str) -> int:
    """`89,9`, `89.9 %`, `90` → tenths of a per cent; refused outside 0–100 or not a number.

    Digits past the first decimal are cut, not rounded: 89.99 % is still below 90 %."""
    value = text.strip().removesuffix("%").strip().replace(" ", "")
    match = _PERCENT.match(value)
    if match is None:
        raise Refused("cmp_bad_percent", value=text.strip()[:20])
    tenths = int(match.group(1)) * 10 + int(match.group(2) or 0)
    if tenths > FULL:
        raise Refused("cmp_bad_percent", value=text.strip()[:20])
    return tenths


def percent_text(tenths: int) -> str:
    whole, tenth = divmod(tenths, 10)
    return f"{whole}" if tenth == 0 else f"{whole},{tenth}"
