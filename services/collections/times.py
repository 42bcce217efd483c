"""Collection windows are stated in Moscow time (seed 004: «загрузить не позднее 18:00 мск»)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from calendars.schema import MOSCOW_TZ
from services.errors import Refused

MOSCOW = ZoneInfo(MOSCOW_TZ)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})[ ,]+(\d{1,2})[:.](\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2})[:.](\d{2})$")


def parse_moscow(text: str) -> dt.datetime:
    """`07.09.2026 18:00` (or `2026-09-07 18:00`) read as Moscow wall time, returned in UTC."""
    value = " ".join(text.split())
    dotted, iso = _DOTTED.match(value), _ISO.match(value)
    if dotted:
        day, month, year, hour, minute = (int(g) for g in dotted.groups())
    elif iso:
        year, month, day, hour, minute = (int(g) for g in iso.groups())
    else:
        raise Refused("col_bad_datetime", value=text[:40])
    try:
        wall = dt.datetime(year, month, day, hour, minute, tzinfo=MOSCOW)
    except ValueError:
        raise Refused("col_bad_datetime", value=text[:40]) from None
    return wall.astimezone(dt.UTC)
