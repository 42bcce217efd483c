"""Dated steps of an event (deadlines and control points) from the rules data; pure, no I/O.

A step's wall time is read in its zone: `local` is the school's zone or the region's, `moscow`
is Europe/Moscow. A step without a time is due by the end of its day, i.e. at the next local
midnight. Every instant returned is aware UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from models.enums import Level
from services.reference.rules_schema import (
    MOSCOW_TZ,
    Audience,
    DeadlineRules,
    StepKind,
    StepRule,
)

CREATION_DUE = "creation_due"
CREATION_CONTROL = "creation_control"


class EventLike(Protocol):
    @property
    def level(self) -> Level: ...

    @property
    def held_on(self) -> dt.date: ...


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


def step_instant(rule: StepRule, held_on: dt.date, local_zone: str) -> tuple[dt.datetime, str]:
    zone = MOSCOW_TZ if rule.zone == "moscow" else local_zone
    day = held_on + dt.timedelta(days=rule.offset_days)
    return wall_to_utc(day, rule.time, zone), zone


def steps_for_event(event: EventLike, rules: DeadlineRules, zone: str) -> list[Step]:
    """The event's steps, soonest first, for people whose local zone is `zone`."""
    return steps_for_date(event.level, event.held_on, rules, zone)


def steps_for_date(level: Level, held_on: dt.date, rules: DeadlineRules, zone: str) -> list[Step]:
    steps = []
    for rule in rules.levels[level].steps:
        due_at, rule_zone = step_instant(rule, held_on, zone)
        steps.append(
            Step(
                code=rule.code,
                kind=rule.kind,
                due_at=due_at,
                zone=rule_zone,
                moscow=rule.zone == "moscow",
                responsible=rule.responsible,
                audience=rule.audience,
            )
        )
    steps.sort(key=lambda s: (s.due_at, s.code))
    return steps


def creation_steps(level: Level, school_year: int, rules: DeadlineRules, zone: str) -> list[Step]:
    """ "Create events for all subjects" of a level: the deadline and its control point."""
    creation = rules.levels[level].creation
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
