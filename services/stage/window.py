"""Whether a planned event could still be registered for on creation (pure, from the rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from calendars.schema import Calendar
from models.enums import Level
from services.curator.events import band_days
from services.rules.deadlines import registration_deadline


class Dated(Protocol):
    """A planned event's row in the schedule and its days (`stage_schedule.PlannedEvent`)."""

    @property
    def row(self) -> int: ...

    @property
    def held_on(self) -> dt.date: ...

    @property
    def grade_dates(self) -> dict[str, str] | None: ...


def closed_registrations(
    events: Iterable[Dated], level: Level, zone: str, rules: Calendar, now: dt.datetime
) -> dict[int, dt.datetime]:
    """Events whose registration would be closed on creation (a date within D − 5): nobody
    could register, so the organiser is warned before confirming. The earliest band counts."""
    closed = {}
    for event in events:
        days = band_days(event.held_on, event.grade_dates)
        deadline = min(registration_deadline(level, day, zone, rules) for day in days)
        if deadline <= now:
            closed[event.row] = deadline
    return closed
