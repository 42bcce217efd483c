"""The registration deadline of an event (pure: the rules data and a zone in, an instant out)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from calendars.schema import REGISTRATION_CLOSES, Calendar
from calendars.steps import step_instant
from models.enums import Level


def registration_deadline(
    event_level: Level, held_on_for_grade: dt.date, zone: str, rules: Calendar
) -> dt.datetime:
    """The first instant at which registration is closed (aware UTC).

    `zone` is the school's zone: a rule stated in local time (D − 5 by the end of the day) is
    read on the school's own clock, so Sakhalin closes eight hours before Moscow.
    """
    # The same computation the reminders use, so a card and a reminder never disagree.
    rule = rules.tracks[event_level].step(REGISTRATION_CLOSES)
    return step_instant(rule, held_on_for_grade, zone)[0]


@dataclass(frozen=True)
class TimeLeft:
    days: int
    hours: int
    minutes: int


def time_left(deadline: dt.datetime, now: dt.datetime) -> TimeLeft | None:
    """What remains before the deadline, rounded down to the minute; None once it has passed."""
    if now >= deadline:
        return None
    minutes = int((deadline - now).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    return TimeLeft(days=days, hours=rest // 60, minutes=rest % 60)


def shown_deadline(deadline: dt.datetime, zone: str) -> dt.datetime:
    """The instant to print: a deadline at local midnight reads as 23:59 of the day before."""
    local = deadline.astimezone(ZoneInfo(zone))
    if (local.hour, local.minute) == (0, 0):
        return deadline - dt.timedelta(minutes=1)
    return deadline
