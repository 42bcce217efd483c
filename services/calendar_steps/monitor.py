"""Who monitors a calendar where, and the schools there that lag behind, lagging first."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import Role
from services.authz import is_admin
from services.calendar_steps.board import Lag, boards, lag_of, lagging_first
from services.calendar_steps.marks import operator_schools, school_place
from services.calendar_steps.places import Place, schools_in
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import DEPLOYMENT, Scope, grant_scope

MONITORS = frozenset({Role.MUNICIPAL_OFFICE, Role.REGIONAL_CENTRE})


def monitor_scopes(ident: Identity, calendar: str) -> list[Scope]:
    """The places I watch in this calendar (an admin: the whole deployment)."""
    if is_admin(ident):
        return [DEPLOYMENT]
    return [
        grant_scope(g)
        for g in ident.grants
        if g.role in MONITORS and g.calendar in (None, calendar)
    ]


def may_monitor(ident: Identity) -> bool:
    return is_admin(ident) or any(g.role in MONITORS for g in ident.grants)


async def places_watched(session: AsyncSession, ident: Identity, calendar: str) -> list[Place]:
    found: dict[int, Place] = {}
    for scope in monitor_scopes(ident, calendar):
        for place in await schools_in(session, scope):
            found.setdefault(place.school_id, place)
    return sorted(found.values(), key=lambda p: (p.name, p.school_id))


async def lagging(
    session: AsyncSession, ident: Identity, calendar: Calendar, now: dt.datetime
) -> list[Lag]:
    """Every school I watch in the calendar, the most overdue first."""
    scopes = monitor_scopes(ident, calendar.code)
    if not scopes:
        raise Refused("forbidden")
    places = await places_watched(session, ident, calendar.code)
    lines = await boards(session, calendar, places, now)
    return lagging_first([lag_of(p, lines[p.school_id], now) for p in places])


async def open_school(
    session: AsyncSession, ident: Identity, calendar: str, school_id: int
) -> tuple[Place, bool]:
    """A school's steps, for its own data operator (True) or someone watching its place (False);
    anyone else is refused, whatever button they press."""
    place = await school_place(session, school_id)
    mine = await operator_schools(session, ident, calendar)
    if any(p.school_id == place.school_id for p in mine):
        return place, True
    if any(place.scope.within(scope) for scope in monitor_scopes(ident, calendar)):
        return place, False
    raise Refused("forbidden")
