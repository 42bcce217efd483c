"""Reminder preferences: per-role default offsets, a person's own choices, and the instants
that follow from them (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from calendars.consent_rule import CONSENT_DUE
from calendars.schema import REGISTRATION_CLOSES, Audience
from calendars.steps import Step
from reminders.quiet import DEFAULT_QUIET, QuietHours, digest_slot, place

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
STAGE_DAY = "stage_day"

# Students: the day before registration closes; the evening before and the morning of the stage.
_STUDENT_DEFAULTS: dict[str, tuple[dt.timedelta, ...]] = {
    REGISTRATION_CLOSES: (DAY,),
    STAGE_DAY: (14 * HOUR, 2 * HOUR),
    CONSENT_DUE: (3 * DAY, DAY),  # a paper or a button: time to find the parent
}
_STAFF_DEFAULT = (7 * DAY, DAY)
# What a person can pick in the settings, longest first.
OFFSET_CHOICES: tuple[dt.timedelta, ...] = (7 * DAY, 3 * DAY, DAY, 12 * HOUR, 2 * HOUR)
DIGEST_CHOICES: tuple[dt.time, ...] = tuple(dt.time(h, 0) for h in (8, 12, 16, 19))
QUIET_CHOICES: tuple[QuietHours, ...] = (
    DEFAULT_QUIET,
    QuietHours(dt.time(21, 0), dt.time(9, 0)),
    QuietHours(dt.time(23, 0), dt.time(7, 0)),
    QuietHours(dt.time(0, 0), dt.time(0, 0)),
)


@dataclass(frozen=True, slots=True)
class Prefs:
    offsets: tuple[dt.timedelta, ...] | None = None  # None: the defaults of the role
    quiet: QuietHours = DEFAULT_QUIET
    digest_at: dt.time | None = None


DEFAULT_PREFS = Prefs()


def minutes_to_time(minutes: int) -> dt.time:
    return dt.time(minutes // 60 % 24, minutes % 60)


def time_to_minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def prefs_from_columns(
    offsets: list[int] | None, quiet_start: int, quiet_end: int, digest_at: int | None
) -> Prefs:
    return Prefs(
        offsets=None if offsets is None else tuple(dt.timedelta(minutes=m) for m in offsets),
        quiet=QuietHours(minutes_to_time(quiet_start), minutes_to_time(quiet_end)),
        digest_at=None if digest_at is None else minutes_to_time(digest_at),
    )


def default_offsets(audience: Audience, step_code: str) -> tuple[dt.timedelta, ...]:
    if audience in (Audience.STUDENT, Audience.PARENT):
        return _STUDENT_DEFAULTS.get(step_code, (DAY,))
    return _STAFF_DEFAULT


def offsets_for(prefs: Prefs, audience: Audience, step_code: str) -> tuple[dt.timedelta, ...]:
    return prefs.offsets if prefs.offsets is not None else default_offsets(audience, step_code)


def reminder_instants(
    step: Step, audience: Audience, zone: ZoneInfo, prefs: Prefs
) -> list[dt.datetime]:
    """When to remind one person of a step: never after it, outside quiet hours when possible.

    The result depends only on the step and the preferences, never on the current time, so that
    planning again gives the same instants (and the same outbox keys)."""
    instants = set()
    for offset in offsets_for(prefs, audience, step.code):
        at = step.due_at - offset
        if prefs.digest_at is not None:
            at = digest_slot(at, zone, prefs.digest_at)
        at = place(at, step.due_at, zone, prefs.quiet)
        if at < step.due_at:
            instants.add(at)
    return sorted(instants)


def report_instant(
    at: dt.datetime, expires_at: dt.datetime, zone: ZoneInfo, prefs: Prefs
) -> dt.datetime:
    """A report or nudge goes out at its moment, or when the person's quiet hours end."""
    return place(at, expires_at, zone, prefs.quiet)
