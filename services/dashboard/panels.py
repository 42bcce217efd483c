"""The coordinator's panels: the events of the stage, registrations per subject, and the
schools with their state (not started, in progress, submitted), lagging ones first.

Each panel is one query; the filters come from `services.dashboard.filters`, already checked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import EventStatus, RegistrationState
from models.geo import Municipality, School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.dashboard.filters import PanelFilter, event_filters, school_filters
from services.people.identity import Identity
from services.scopes import Scope
from services.stage.overview import YEAR_ZONE, OverviewRow, overview_rows, scope_condition
from services.stage.scope import current_school_year

SHOWN_ROWS = 100


class SchoolState(StrEnum):
    NOT_STARTED = "not_started"  # nobody registered
    IN_PROGRESS = "in_progress"  # registered, results still missing
    SUBMITTED = "submitted"  # every expected result entered


@dataclass(frozen=True)
class StagePanel:
    school_year: int
    rows: list[OverviewRow]  # overdue first, at most SHOWN_ROWS
    total: int
    overdue: int
    by_status: dict[EventStatus, int]


@dataclass(frozen=True)
class Tally:
    name: str
    registered: int
    results: int
    expected: int


@dataclass(frozen=True)
class SchoolLine:
    id: int
    name: str
    municipality: str
    tally: Tally

    @property
    def state(self) -> SchoolState:
        if self.tally.registered == 0:
            return SchoolState.NOT_STARTED
        if self.tally.results < self.tally.expected:
            return SchoolState.IN_PROGRESS
        return SchoolState.SUBMITTED


@dataclass(frozen=True)
class SchoolsPanel:
    lines: list[SchoolLine]  # lagging first, at most SHOWN_ROWS
    total: int
    by_state: dict[SchoolState, int]


async def stage_panel(
    session: AsyncSession,
    ident: Identity,
    chosen: PanelFilter,
    place: Scope,
    *,
    rules: Calendar,
    now: dt.datetime,
) -> StagePanel:
    narrower = event_filters(chosen, place)
    year, rows = await overview_rows(
        session, ident, level=None, rules=rules, now=now, narrower=narrower
    )
    statuses = Counter(r.event.status for r in rows)
    return StagePanel(
        school_year=year,
        rows=rows[:SHOWN_ROWS],
        total=len(rows),
        overdue=sum(1 for r in rows if r.standing.overdue),
        by_status={s: statuses[s] for s in EventStatus if statuses[s]},
    )


def _counts() -> tuple[Any, ...]:
    absent = Registration.state == RegistrationState.ABSENT
    return (
        func.count(Registration.id),
        func.count(Registration.score),
        func.coalesce(func.sum(case((absent, 0), else_=1)), 0),
    )


def _registrations(
    ident: Identity, chosen: PanelFilter, place: Scope, now: dt.datetime
) -> list[ColumnElement[bool]]:
    year = current_school_year(now, YEAR_ZONE)
    where = [scope_condition(ident), OlympiadEvent.school_year == year]
    where += event_filters(chosen, place)
    if place.school_id is not None:
        where.append(User.school_id == place.school_id)
    elif place.municipality_id is not None:
        schools = select(School.id).where(School.municipality_id == place.municipality_id)
        where.append(User.school_id.in_(schools))
    return where


async def subject_panel(
    session: AsyncSession,
    ident: Identity,
    chosen: PanelFilter,
    place: Scope,
    *,
    locale: str,
    now: dt.datetime,
) -> list[Tally]:
    """Registrations and results per subject, in the subjects' order."""
    name = Subject.name_en if locale == "en" else Subject.name_ru
    query = (
        select(name, *_counts())
        .select_from(Registration)
        .join(OlympiadEvent, Registration.event_id == OlympiadEvent.id)
        .join(Subject, OlympiadEvent.subject_id == Subject.id)
        .join(User, Registration.student_id == User.id)
        .where(*_registrations(ident, chosen, place, now))
        .group_by(Subject.id, name, Subject.sort_order)
        .order_by(Subject.sort_order)
    )
    return [Tally(str(n), int(r), int(d), int(e)) for n, r, d, e in await session.execute(query)]


async def schools_panel(
    session: AsyncSession,
    ident: Identity,
    chosen: PanelFilter,
    place: Scope,
    *,
    now: dt.datetime,
) -> SchoolsPanel:
    """Every school of my scope (and the filter) with its registrations and results."""
    tallies = (
        select(
            User.school_id.label("school_id"), *(c.label(f"c{i}") for i, c in enumerate(_counts()))
        )
        .select_from(Registration)
        .join(OlympiadEvent, Registration.event_id == OlympiadEvent.id)
        .join(User, Registration.student_id == User.id)
        .where(*_registrations(ident, chosen, place, now))
        .group_by(User.school_id)
        .subquery()
    )
    query = (
        select(
            School.id,
            School.name,
            Municipality.name,
            *(func.coalesce(tallies.c[f"c{i}"], 0) for i in range(3)),
        )
        .join(Municipality, School.municipality_id == Municipality.id)
        .outerjoin(tallies, tallies.c.school_id == School.id)
        .where(*school_filters(ident, place, chosen.search))
    )
    lines = [
        SchoolLine(int(i), str(n), str(m), Tally(str(n), int(r), int(d), int(e)))
        for i, n, m, r, d, e in await session.execute(query)
    ]
    order = list(SchoolState)
    lines.sort(key=lambda s: (order.index(s.state), s.tally.registered, s.name))
    states = Counter(line.state for line in lines)
    return SchoolsPanel(lines[:SHOWN_ROWS], len(lines), {s: states[s] for s in SchoolState})
