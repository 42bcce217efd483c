"""The panel's queries once a filter narrows the place: registrations and results per school,
and per subject within one school (one query each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import RegistrationState
from models.geo import Municipality, School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.dashboard.filters import PanelFilter, event_filters, school_filters
from services.dashboard.panels import PlaceLine, SchoolsPanel, Tally, lagging_first, schools_of
from services.people.identity import Identity
from services.scopes import Scope
from services.stage.overview import YEAR_ZONE, scope_condition
from services.stage.scope import current_school_year


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
        PlaceLine(int(i), str(n), str(m), Tally(str(n), int(r), int(d), int(e)))
        for i, n, m, r, d, e in await session.execute(query)
    ]
    return schools_of(lagging_first(lines))
