"""When registration closes for each grade of an event: one rule for every screen.

The reading (see the comment in data/demo/demo.yaml): a subject held on different days per grade
closes registration per grade, at the registration step of that grade's own day (D − 5 for the
school stage); reminders are planned the same way. The curator sees every band's deadline, a
student the one of their grade, and both come from `band_deadlines`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calendars.schema import Calendar
from models.enums import Level
from services.rules.deadlines import registration_deadline


def held_on_for(
    grade: int | None, held_on: dt.date, grade_dates: dict[str, str] | None
) -> dt.date:
    if grade is not None and grade_dates and str(grade) in grade_dates:
        return dt.date.fromisoformat(grade_dates[str(grade)])
    return held_on


@dataclass(frozen=True)
class GradeBand:
    grade_min: int
    grade_max: int
    held_on: dt.date


@dataclass(frozen=True)
class BandDeadline:
    band: GradeBand
    closes: dt.datetime  # the first instant at which registration is closed for the band


@dataclass(frozen=True)
class EventDays:
    level: Level
    held_on: dt.date
    grade_dates: dict[str, str] | None
    grade_min: int
    grade_max: int


def bands(days: EventDays) -> tuple[GradeBand, ...]:
    return day_bands(days.held_on, days.grade_dates, days.grade_min, days.grade_max)


def day_bands(
    held_on: dt.date, grade_dates: dict[str, str] | None, grade_min: int, grade_max: int
) -> tuple[GradeBand, ...]:
    """Consecutive grades that sit on the same day; one band when all grades share it."""
    found: list[GradeBand] = []
    for grade in range(grade_min, grade_max + 1):
        day = held_on_for(grade, held_on, grade_dates)
        if found and found[-1].held_on == day:
            found[-1] = GradeBand(found[-1].grade_min, grade, day)
        else:
            found.append(GradeBand(grade, grade, day))
    return tuple(found) or (GradeBand(grade_min, grade_max, held_on),)


def band_deadlines(days: EventDays, zone: str, rules: Calendar) -> tuple[BandDeadline, ...]:
    return tuple(
        BandDeadline(band, registration_deadline(days.level, band.held_on, zone, rules))
        for band in bands(days)
    )


def deadline_for_grade(
    days: EventDays, grade: int | None, zone: str, rules: Calendar
) -> dt.datetime:
    """The deadline a person of `grade` reads (no grade: the event's own day)."""
    for found in band_deadlines(days, zone, rules):
        if grade is not None and found.band.grade_min <= grade <= found.band.grade_max:
            return found.closes
    return registration_deadline(days.level, days.held_on, zone, rules)


def next_deadline(deadlines: tuple[BandDeadline, ...], now: dt.datetime) -> dt.datetime | None:
    """The earliest band deadline still ahead: a curator can still act for that band."""
    return min((d.closes for d in deadlines if d.closes > now), default=None)
