"""The panel's other calendars: the data collections (ФИС ОКО) and the schools' data calendars
(«Паспорт школы», ВПР), each organisation's state, lagging ones first.

Nothing here reads the database itself: the collections' totals and lines, the responsible
person's collections, the lagging schools and one school's board are the services the chat's
/collections and /steps use, with the same scope and the same refusals (another place's
collection or school is refused as "forbidden", which the panel answers with 403).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.collections import Collection
from models.enums import Role
from services.calendar_steps.board import Lag, Line, boards, lag_of
from services.calendar_steps.items import CALENDARS
from services.calendar_steps.marks import operator_schools
from services.calendar_steps.monitor import lagging, may_monitor, monitor_scopes, open_school
from services.collections import monitor
from services.collections.access import coordinator_scope, watched_collection
from services.collections.people import coordinated_scopes, responsible_school_ids
from services.errors import Refused
from services.people.identity import Identity

SHOWN = 50  # organisations listed at most; the totals count them all
COLLECTIONS = "collections"


@dataclass(frozen=True)
class CollectionsView:
    collections: list[Collection]  # of my scope, the latest closing first
    chosen: Collection | None
    totals: monitor.Totals | None
    lines: list[monitor.OrgLine]  # lagging first, at most SHOWN
    mine: list[monitor.MineLine]  # the collections of the organisations I answer for


@dataclass(frozen=True)
class StepsView:
    calendar: Calendar
    lags: list[Lag] | None  # the schools I watch, most overdue first (None: I watch none)
    watched: int  # schools I watch
    behind: int  # of them, with an overdue step
    own: list[Lag]  # the schools whose steps I mark
    school: Lag | None  # one school opened
    lines: list[Line]  # its steps, open ones first


def calendar_sections(ident: Identity, calendars: dict[str, Calendar]) -> list[str]:
    """The calendars this person follows in the chat: the collections, then the schools'
    calendars they watch or mark."""
    found = []
    if coordinated_scopes(ident) or responsible_school_ids(ident):
        found.append(COLLECTIONS)
    for code in CALENDARS:
        if code not in calendars:
            continue
        watches = may_monitor(ident) and bool(monitor_scopes(ident, code))
        marks = any(
            g.role == Role.DATA_OPERATOR and g.school_id and g.calendar in (None, code)
            for g in ident.grants
        )
        if watches or marks:
            found.append(code)
    return found


async def collections_view(
    session: AsyncSession, ident: Identity, collection_id: int | None, now: dt.datetime
) -> CollectionsView:
    mine = await monitor.mine(session, ident, now)
    if not coordinated_scopes(ident):
        if collection_id is not None:
            raise Refused("forbidden")
        return CollectionsView([], None, None, [], mine)
    listed = await monitor.coordinated(session, await coordinator_scope(session, ident))
    if collection_id is None:
        if not listed:
            return CollectionsView([], None, None, [], mine)
        collection_id = listed[0].id
    chosen, scope = await watched_collection(session, ident, collection_id)
    totals = await monitor.totals(session, chosen.id, scope)
    page = await monitor.org_page(session, chosen.id, scope, 0, size=SHOWN)
    return CollectionsView(listed, chosen, totals, page.lines, mine)


async def steps_view(
    session: AsyncSession,
    ident: Identity,
    calendar: Calendar,
    school_id: int | None,
    now: dt.datetime,
) -> StepsView:
    own_places = await operator_schools(session, ident, calendar.code)
    watches = may_monitor(ident) and bool(monitor_scopes(ident, calendar.code))
    if not own_places and not watches:
        raise Refused("forbidden")
    lags = await lagging(session, ident, calendar, now) if watches else None
    own_lines = await boards(session, calendar, own_places, now)
    own = [lag_of(p, own_lines[p.school_id], now) for p in own_places]
    school, lines = None, []
    if school_id is not None:
        place, _mine = await open_school(session, ident, calendar.code, school_id)
        lines = (await boards(session, calendar, [place], now))[place.school_id]
        lines.sort(key=lambda ln: (ln.done, ln.item.step.due_at, ln.item.item))
        school = lag_of(place, lines, now)
    behind = sum(1 for lag in lags or [] if lag.overdue)
    shown = None if lags is None else lags[:SHOWN]
    return StepsView(calendar, shown, len(lags or []), behind, own, school, lines)
