"""The data calendars' steps ahead that concern one person, as lines of their /due and .ics.

A school's data operator: every step of their school not done yet. The municipal office and
the regional centre: each step they watch or do once (not once per school), in their scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Audience, Calendar
from models.calendar_steps import marks_of
from models.enums import Role
from models.outbox import Mute
from models.people import RoleGrant
from reminders.due import DueItem
from reminders.mutes import calendar_target
from services.calendar_steps.board import boards, items_of, works_for
from services.calendar_steps.items import CALENDARS, Item
from services.calendar_steps.offices import office_key
from services.calendar_steps.places import Place, schools_in
from services.scopes import grant_scope

AUDIENCE_OF = {
    Role.DATA_OPERATOR: Audience.SCHOOL,
    Role.MUNICIPAL_OFFICE: Audience.MUNICIPAL_OFFICE,
    Role.REGIONAL_CENTRE: Audience.REGIONAL_CENTRE,
}


def due_item(item: Item, audience: Audience, uid: str, place: str, calendar: Calendar) -> DueItem:
    title = calendar.title or {}
    subject = f"{item.work.subject}, {item.work.grade}" if item.work else ""
    return DueItem(
        uid, item.step, audience, None, None,
        calendar=calendar.code,
        label_ru=(item.rule.title or {}).get("ru", item.rule.code),
        label_en=(item.rule.title or {}).get("en", item.rule.code),
        title_ru=" · ".join(x for x in (title.get("ru", ""), subject, place) if x),
        title_en=" · ".join(x for x in (title.get("en", ""), subject, place) if x),
    )  # fmt: skip


async def calendar_due(
    session: AsyncSession, user_id: int, calendars: Mapping[str, Calendar], now: dt.datetime
) -> list[DueItem]:
    grants = list(
        await session.scalars(
            select(RoleGrant).where(
                RoleGrant.user_id == user_id,
                RoleGrant.revoked_at.is_(None),
                RoleGrant.role.in_(list(AUDIENCE_OF)),
            )
        )
    )
    if not grants:
        return []
    muted = set(await session.scalars(select(Mute.target).where(Mute.user_id == user_id)))
    found: dict[str, DueItem] = {}
    for code in CALENDARS:
        calendar = calendars.get(code)
        if calendar is None or calendar_target(code) in muted:
            continue
        for grant in (g for g in grants if g.calendar in (None, code)):
            places = await schools_in(session, grant_scope(grant))
            if grant.role == Role.DATA_OPERATOR:
                await _operator(session, calendar, places, now, found)
            else:
                done = await _own_done(session, calendar.code, grant)
                await _monitor(session, calendar, places, Role(grant.role), now, found, done)
    return sorted(found.values(), key=lambda item: (item.step.due_at, item.uid))


async def _operator(
    session: AsyncSession,
    calendar: Calendar,
    places: list[Place],
    now: dt.datetime,
    found: dict[str, DueItem],
) -> None:
    lines = await boards(session, calendar, places, now)
    for place in places:
        for line in lines[place.school_id]:
            if line.done or line.item.step.due_at <= now:
                continue
            uid = f"{calendar.code}-{line.item.item}-s{place.school_id}"
            found.setdefault(uid, due_item(line.item, Audience.SCHOOL, uid, place.name, calendar))


async def _own_done(session: AsyncSession, calendar: str, grant: RoleGrant) -> set[str]:
    """The steps of the office's own level it marked done (they leave its list)."""
    key = office_key(grant)
    if key is None:
        return set()
    marks = await marks_of(session, calendar, key[0], [key[1]])
    return {item for item, _org in marks}


async def _monitor(  # noqa: PLR0913 - the calendar, the places and the watcher
    session: AsyncSession,
    calendar: Calendar,
    places: list[Place],
    role: Role,
    now: dt.datetime,
    found: dict[str, DueItem],
    done: set[str],
) -> None:
    audience = AUDIENCE_OF[role]
    works = await works_for(session, places)
    for place in places:
        for item in items_of(calendar, calendar.code, place, works.get(place.school_id, []), now):
            if item.step.due_at <= now or audience not in item.rule.audience:
                continue
            if item.rule.responsible == audience and item.item in done:
                continue
            uid = f"{calendar.code}-{item.item}-{role.value}"
            found.setdefault(uid, due_item(item, audience, uid, "", calendar))
