"""Pure rules of the olympiad day: when a code is released, when the appeal window closes.

Both are wall times read in a zone until this point; everything returned is an aware instant.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from services.errors import Refused

_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_DURATION = re.compile(r"^(\d{1,3})\s*([чhдd])", re.IGNORECASE)
_DATETIME = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+([01]?\d|2[0-3])[:.]([0-5]\d)$")
MAX_APPEAL_HOURS = 24 * 30


@dataclass(frozen=True)
class AppealRule:
    """A level's default: `hours` after publication, or until `time` local `days` later."""

    hours: int | None = None
    days: int | None = None
    time: dt.time | None = None


@dataclass(frozen=True)
class AppealOverride:
    """What the organiser set for one event; an instant wins over a duration."""

    until: dt.datetime | None = None
    hours: int | None = None


def parse_hhmm(text: str) -> dt.time:
    found = _HHMM.match(text.strip())
    if found is None:
        raise Refused("day_bad_time", value=text.strip()[:20])
    return dt.time(int(found[1]), int(found[2]))


def release_instant(day: dt.date, release_time: dt.time, zone: str) -> dt.datetime:
    """The stage day at the release time on the wall clock of `zone` (the school's)."""
    return dt.datetime.combine(day, release_time, ZoneInfo(zone)).astimezone(dt.UTC)


def appeal_closes(
    published_at: dt.datetime, rule: AppealRule, override: AppealOverride, zone: str
) -> dt.datetime:
    """When appeals stop being accepted; `zone` is the event's (its region's) wall clock."""
    if override.until is not None:
        return override.until
    if override.hours is not None:
        return published_at + dt.timedelta(hours=override.hours)
    if rule.hours is not None:
        return published_at + dt.timedelta(hours=rule.hours)
    assert rule.days is not None and rule.time is not None
    local_day = published_at.astimezone(ZoneInfo(zone)).date() + dt.timedelta(days=rule.days)
    return dt.datetime.combine(local_day, rule.time, ZoneInfo(zone)).astimezone(dt.UTC)


def parse_window(text: str, zone: str, now: dt.datetime) -> AppealOverride:
    """«48ч», «3 д» (a duration from publication) or «05.12.2026 18:00» (wall time in `zone`)."""
    value = " ".join(text.split())
    stamp = _DATETIME.match(value)
    if stamp is not None:
        day, month, year, hour, minute = (int(part) for part in stamp.groups())
        try:
            local = dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))
        except ValueError:
            raise Refused("day_bad_window", value=value[:30]) from None
        until = local.astimezone(dt.UTC)
        if until <= now:
            raise Refused("day_window_in_past")
        return AppealOverride(until=until)
    duration = _DURATION.match(value)
    if duration is None:
        raise Refused("day_bad_window", value=value[:30])
    amount, unit = int(duration[1]), duration[2].casefold()
    hours = amount * 24 if unit in ("д", "d") else amount
    if not 1 <= hours <= MAX_APPEAL_HOURS:
        raise Refused("day_bad_window", value=value[:30])
    return AppealOverride(hours=hours)
