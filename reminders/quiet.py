"""Quiet hours and daily digest slots in a person's local time; pure, DST-aware.

Wall times that a DST change skips or repeats are resolved so that the result is outside the
quiet hours: a quiet period starts at the earliest reading of its start and ends at the latest
reading of its end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

JUST_BEFORE = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class QuietHours:
    start: dt.time
    end: dt.time

    @property
    def off(self) -> bool:
        return self.start == self.end

    def contains_wall(self, t: dt.time) -> bool:
        if self.off:
            return False
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end


DEFAULT_QUIET = QuietHours(dt.time(22, 0), dt.time(8, 0))
NO_QUIET = QuietHours(dt.time(0, 0), dt.time(0, 0))


def _wall(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return instant.astimezone(zone)


def _readings(day: dt.date, t: dt.time, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Both UTC readings of a wall time (they differ only in a DST gap or overlap)."""
    wall = dt.datetime.combine(day, t).replace(tzinfo=zone)
    first = wall.replace(fold=0).astimezone(dt.UTC)
    second = wall.replace(fold=1).astimezone(dt.UTC)
    return (first, second) if first <= second else (second, first)


def in_quiet(instant: dt.datetime, zone: ZoneInfo, quiet: QuietHours) -> bool:
    return quiet.contains_wall(_wall(instant, zone).time().replace(tzinfo=None))


def quiet_period(
    instant: dt.datetime, zone: ZoneInfo, quiet: QuietHours
) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (UTC) of the quiet period that contains `instant`."""
    local = _wall(instant, zone)
    day = local.date()
    if quiet.start < quiet.end:
        start_day = end_day = day
    elif local.time().replace(tzinfo=None) >= quiet.start:
        start_day, end_day = day, day + dt.timedelta(days=1)
    else:
        start_day, end_day = day - dt.timedelta(days=1), day
    start = _readings(start_day, quiet.start, zone)[0]
    end = _readings(end_day, quiet.end, zone)[1]
    return start, end


def place(
    instant: dt.datetime, deadline: dt.datetime, zone: ZoneInfo, quiet: QuietHours
) -> dt.datetime:
    """Moves an instant out of quiet hours: to their end, or just before they start when the end
    would not come before the deadline. So the result is never after the deadline as long as
    the instant is not."""
    if not in_quiet(instant, zone, quiet):
        return instant
    start, end = quiet_period(instant, zone, quiet)
    if end < deadline:
        return end
    return min(start - JUST_BEFORE, instant)


def digest_slot(instant: dt.datetime, zone: ZoneInfo, at: dt.time) -> dt.datetime:
    """The latest daily `at` (local) not after the instant."""
    local = _wall(instant, zone)
    for back in range(3):
        candidate = _readings(local.date() - dt.timedelta(days=back), at, zone)[0]
        if candidate <= instant:
            return candidate
    raise AssertionError("a daily slot exists within three days")  # pragma: no cover
