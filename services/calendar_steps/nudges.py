"""Nudges to the schools that have not done a step yet, before its date.

Planned into the outbox at the person's reminder offsets (a week and a day before by default),
moved out of their quiet hours and into their digest slot as every reminder is; at most one per
step, school, person and local day (the outbox key says so); none for a muted calendar; the
pending ones are cancelled when the step is marked done (`marks.cancel_nudges`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Audience, Calendar
from models.enums import Role
from models.outbox import Mute, ReminderPreference
from models.people import RoleGrant, User
from reminders.audience import prefs_of
from reminders.mutes import calendar_target
from reminders.notices import Button, queue_notice_at
from reminders.prefs import reminder_instants
from reminders.views import when_line
from services.calendar_steps.board import Line, boards
from services.calendar_steps.items import CALENDARS
from services.calendar_steps.marks import nudge_key
from services.calendar_steps.places import Place, schools_in
from services.scopes import DEPLOYMENT
from ui.callbacks.calendar_steps import LETTER_OF, CsAct, CsCb

# Longer than the longest reminder offset (a week), so a nudge is planned before its moment.
HORIZON = dt.timedelta(days=14)
# A nudge whose moment passed less than this ago (between two planning runs) still goes out.
LATE = dt.timedelta(hours=2)


async def _operators(
    session: AsyncSession,
) -> list[tuple[RoleGrant, User, ReminderPreference | None]]:
    rows = await session.execute(
        select(RoleGrant, User, ReminderPreference)
        .join(User, RoleGrant.user_id == User.id)
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
        .where(
            RoleGrant.role == Role.DATA_OPERATOR,
            RoleGrant.revoked_at.is_(None),
            RoleGrant.school_id.is_not(None),
            User.tg_id.is_not(None),
            User.unreachable_since.is_(None),
        )
    )
    return [(g, u, p) for g, u, p in rows]


async def _muted(session: AsyncSession, code: str) -> set[int]:
    rows = await session.scalars(select(Mute.user_id).where(Mute.target == calendar_target(code)))
    return set(rows)


async def plan_nudges(
    session: AsyncSession, calendars: Mapping[str, Calendar], now: dt.datetime
) -> int:
    """Queues the nudges of every data calendar that fall before `now + HORIZON`; returns how
    many rows are new. Idempotent: planning again finds the same keys."""
    operators = await _operators(session)
    if not operators:
        return 0
    school_ids = {g.school_id for g, _, _ in operators}
    places = [p for p in await schools_in(session, DEPLOYMENT) if p.school_id in school_ids]
    queued = 0
    for code in CALENDARS:
        calendar = calendars.get(code)
        if calendar is None:
            continue
        muted = await _muted(session, code)
        lines = await boards(session, calendar, places, now)
        for place in places:
            people = [
                (u, p)
                for g, u, p in operators
                if g.school_id == place.school_id and g.calendar in (None, code)
                and u.id not in muted
            ]  # fmt: skip
            for line in lines[place.school_id]:
                if _wanted(line, now):
                    for user, pref in people:
                        queued += await _nudge(session, calendar, place, line, user, pref, now)
    return queued


def _wanted(line: Line, now: dt.datetime) -> bool:
    due = line.item.step.due_at
    return line.item.tracked and not line.done and now < due <= now + HORIZON


async def _nudge(  # noqa: PLR0913 - one row: where, what, to whom, when
    session: AsyncSession,
    calendar: Calendar,
    place: Place,
    line: Line,
    user: User,
    pref: ReminderPreference | None,
    now: dt.datetime,
) -> int:
    zone = user.timezone or place.zone
    prefs = prefs_of(*(
        (pref.offsets, pref.quiet_start, pref.quiet_end, pref.digest_at) if pref else
        (None, None, None, None)
    ))  # fmt: skip
    step = line.item.step
    local = ZoneInfo(zone)
    days: dict[dt.date, dt.datetime] = {}
    for at in reminder_instants(step, Audience.SCHOOL, local, prefs):
        if at >= now - LATE:
            days.setdefault(at.astimezone(local).date(), max(at, now))
    item = line.item
    button = CsCb(
        act=CsAct.STEP, cal=LETTER_OF[calendar.code], school=place.school_id, item=item.item
    )
    queued = 0
    for day, at in days.items():
        key = f"{nudge_key(calendar.code, item.item, place.school_id)}u{user.id}:{day.isoformat()}"
        context = {
            "calendar_title": (calendar.title or {}),
            "title": item.rule.title or {},
            "subject": item.work.subject if item.work else "",
            "grade": item.work.grade if item.work else 0,
            "school": place.name,
            "signed_form": item.rule.signed_form,
            "when": partial(when_line, step.due_at, step.zone, zone),
        }
        if await queue_notice_at(
            session, user, key, "calendar_steps/nudge.html", at, now, context=context,
            buttons=[Button("Open the step", button.pack())], expires_at=step.due_at,
        ):  # fmt: skip
            queued += 1
    return queued
