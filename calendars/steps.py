"""A calendar's rules turned into dated steps (pure: no I/O, every instant aware UTC).

A step's wall time is read in its zone: `local` is the place's own zone (the school's, or the
region's), `moscow` is Europe/Moscow, and a named zone is itself. A step without a time is due by
the end of its day, i.e. at the next midnight in that zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from calendars.consent_rule import ConsentRule
from calendars.schema import (
    AUGUST,
    MOSCOW_TZ,
    Audience,
    Calendar,
    StepKind,
    StepRule,
    WorkingDays,
)

CREATION_DUE = "creation_due"
CREATION_CONTROL = "creation_control"


@dataclass(frozen=True, slots=True)
class Step:
    code: str
    kind: StepKind
    due_at: dt.datetime  # aware UTC
    zone: str  # the IANA zone the rule's wall time is read in
    moscow: bool  # the rule is stated in Moscow time
    responsible: Audience
    audience: tuple[Audience, ...]

    def concerns(self, audience: Audience) -> bool:
        return audience in self.audience


def wall_to_utc(day: dt.date, time: dt.time | None, zone: str) -> dt.datetime:
    """The instant of a wall time in a zone; no time means the end of the day (next midnight)."""
    if time is None:
        day, time = day + dt.timedelta(days=1), dt.time(0, 0)
    local = dt.datetime.combine(day, time, tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)


Anchors = dt.date | Mapping[str, dt.date]  # a bare date is D


def dates_year(day: dt.date) -> int:
    """The year a calendar file's "MM-DD" dates are read in for a day: August opens it, as in
    `MonthDay` (the school-year switch of 25 August belongs to the year that follows it)."""
    return day.year if day.month >= AUGUST else day.year - 1


def step_instant(
    rule: StepRule,
    anchor: Anchors,
    local_zone: str,
    school_year: int | None = None,
    workdays: WorkingDays | None = None,
) -> tuple[dt.datetime, str]:
    """When the rule falls for a thing with these anchor dates, and the zone it is read in.

    `school_year`: the year a calendar's "MM-DD" dates were written for; None: the year of
    the first anchor."""
    anchors = {"D": anchor} if isinstance(anchor, dt.date) else anchor
    zone = rule.zone_name or local_zone
    year = school_year if school_year is not None else dates_year(min(anchors.values()))
    return wall_to_utc(rule.day(anchors, year, workdays), rule.time, zone), zone


def step_of(
    rule: StepRule,
    anchor: Anchors,
    local_zone: str,
    school_year: int | None = None,
    workdays: WorkingDays | None = None,
) -> Step:
    due_at, zone = step_instant(rule, anchor, local_zone, school_year, workdays)
    return Step(
        code=rule.code,
        kind=rule.kind,
        due_at=due_at,
        zone=zone,
        moscow=rule.zone_name == MOSCOW_TZ,  # stated in Moscow time, not merely read there
        responsible=rule.responsible,
        audience=rule.audience,
    )


def steps_for_date(
    track: str,
    anchor: Anchors,
    calendar: Calendar,
    zone: str,
    workdays: WorkingDays | None = None,
) -> list[Step]:
    """The track's steps for its anchor dates, soonest first, read in the local `zone`
    (`workdays`: the production calendar, for steps counted in working days)."""
    year = calendar.school_year
    steps = [step_of(rule, anchor, zone, year, workdays) for rule in calendar.tracks[track].steps]
    steps.sort(key=lambda s: (s.due_at, s.code))
    return steps


def creation_steps(track: str, school_year: int, calendar: Calendar, zone: str) -> list[Step]:
    """ "Create events for all subjects" of a track: the deadline and its control point."""
    creation = calendar.tracks[track].creation
    if creation is None:
        return []
    organiser = (Audience.ORGANISER,)
    return [
        Step(
            code=CREATION_DUE,
            kind=StepKind.DEADLINE,
            due_at=wall_to_utc(creation.due.in_school_year(school_year), None, zone),
            zone=zone,
            moscow=False,
            responsible=Audience.ORGANISER,
            audience=organiser,
        ),
        Step(
            code=CREATION_CONTROL,
            kind=StepKind.CONTROL,
            due_at=wall_to_utc(creation.control.in_school_year(school_year), None, zone),
            zone=zone,
            moscow=False,
            responsible=Audience.ORGANISER,
            audience=(Audience.ORGANISER, Audience.SUPERVISOR),
        ),
    ]


def consent_day(rule: ConsentRule, first_event: dt.date, workdays: WorkingDays) -> dt.date:
    """The day a parent's consent is due for a student whose first event is on `first_event`."""
    return workdays.add_working_days(first_event, rule.offset_working_days)


def consent_deadline(
    rule: ConsentRule, first_event: dt.date, zone: str, workdays: WorkingDays
) -> dt.datetime:
    """The instant (aware UTC) the consent is due, read in the school's `zone`."""
    return wall_to_utc(consent_day(rule, first_event, workdays), rule.time, zone)
