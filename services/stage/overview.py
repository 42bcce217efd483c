"""The stage overview of a coordinator: every event of my scope this school year with its
registrations, results, next deadline and overdue control points, overdue ones first.

The page is read in one query (events joined to their kept counts); the deadlines are
computed from the rules data, so sorting and paging happen after the query.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from calendars.steps import Step, steps_for_date
from models.enums import Level
from models.geo import Region
from models.olympiad import OlympiadEvent, Subject
from models.registration_counts import RegistrationCount
from services.authz import Action, allowed, authorize
from services.people.identity import Identity
from services.scopes import DEPLOYMENT, grant_scope
from services.stage.controls import Progress, Standing, standing
from services.stage.events import EVENT_COLUMNS, EventFacts, facts_from_row
from services.stage.scope import current_school_year

PAGE_SIZE = 8
YEAR_ZONE = "Europe/Moscow"


@dataclass(frozen=True)
class OverviewRow:
    event: EventFacts
    zone: str  # the region's zone: deadlines are read in it
    progress: Progress
    standing: Standing


@dataclass(frozen=True)
class OverviewPage:
    rows: list[OverviewRow]
    page: int
    pages: int
    total: int
    overdue: int  # events with an overdue control point, over all pages
    level: Level | None
    school_year: int


def scope_condition(ident: Identity) -> ColumnElement[bool]:
    """The events the person may monitor: their regions' and municipalities' events."""
    if ident.is_admin:
        return OlympiadEvent.id.is_not(None)
    regions, munis = set(), set()
    for grant in ident.grants:
        scope = grant_scope(grant)
        if not allowed(ident, Action.VIEW_OVERVIEW, scope):
            continue
        if scope.municipality_id is not None:
            munis.add(scope.municipality_id)
        elif scope.region_id is not None:
            regions.add(scope.region_id)
    if not regions and not munis:
        authorize(ident, Action.VIEW_OVERVIEW, DEPLOYMENT)  # refuses, and logs why
    return or_(OlympiadEvent.region_id.in_(regions), OlympiadEvent.municipality_id.in_(munis))


def _statement(where: list[ColumnElement[bool]]) -> Select[*tuple[Any, ...]]:
    """The events with their counts, kept per event by the database (models/
    registration_counts.py): one join, whatever the number of registrations."""
    counts = RegistrationCount
    return (
        select(
            *EVENT_COLUMNS,
            Region.timezone,
            func.coalesce(counts.registered, 0),
            func.coalesce(counts.results, 0),
            func.coalesce(counts.expected, 0),
        )
        .join(Subject, OlympiadEvent.subject_id == Subject.id)
        .join(Region, OlympiadEvent.region_id == Region.id)
        .outerjoin(counts, counts.event_id == OlympiadEvent.id)
        .where(*where)
    )


async def overview_rows(
    session: AsyncSession,
    ident: Identity,
    *,
    level: Level | None,
    rules: Calendar,
    now: dt.datetime,
    narrower: Sequence[ColumnElement[bool]] = (),
) -> tuple[int, list[OverviewRow]]:
    """The school year and all its rows in my scope (`narrower`: filters a panel adds),
    overdue first, then by date."""
    year = current_school_year(now, YEAR_ZONE)
    where = [scope_condition(ident), OlympiadEvent.school_year == year, *narrower]
    if level is not None:
        where.append(OlympiadEvent.level == level)
    found = []
    steps: dict[tuple[Level, dt.date, str], list[Step]] = {}  # events share their stage days
    for row in await session.execute(_statement(where)):
        event = facts_from_row(row._mapping)
        zone, registered, results, expected = tuple(row)[-4:]
        progress = Progress(event.status, int(registered), int(expected), int(results))
        key = (event.level, event.held_on, zone)
        if key not in steps:
            steps[key] = steps_for_date(event.level, event.held_on, rules, zone)
        state = standing(event.level, event.held_on, progress, rules=rules, zone=zone, now=now,
                         steps=steps[key])  # fmt: skip
        found.append(OverviewRow(event, zone, progress, state))
    found.sort(key=lambda r: (not r.standing.overdue, r.event.held_on, r.event.sort_order))
    return year, found


async def overview_page(
    session: AsyncSession,
    ident: Identity,
    *,
    level: Level | None,
    page: int,
    rules: Calendar,
    now: dt.datetime,
    size: int = PAGE_SIZE,
) -> OverviewPage:
    year, rows = await overview_rows(session, ident, level=level, rules=rules, now=now)
    pages = max(1, math.ceil(len(rows) / size))
    page = min(max(page, 0), pages - 1)
    return OverviewPage(
        rows=rows[page * size : (page + 1) * size],
        page=page,
        pages=pages,
        total=len(rows),
        overdue=sum(1 for r in rows if r.standing.overdue),
        level=level,
        school_year=year,
    )
