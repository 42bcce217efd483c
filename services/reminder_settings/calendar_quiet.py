"""Quiet hours per calendar: "as general" or the person's own "HH–HH" for one calendar.

A person is offered, and may set, only the calendars that concern them (`concern`). A change
re-plans that person's rows of that calendar only: the olympiad's reminders (`replan_user`), or
the pending nudges of a data calendar or of the ФИС ОКО collections (taken back and planned
again).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.outbox import CalendarQuiet, Outbox, OutboxStatus
from reminders.calendar_quiet import OLYMPIAD, quiet_by_calendar
from reminders.outbox import MESSAGE_KEY_PREFIX
from reminders.planner import replan_user
from reminders.prefs import time_to_minutes
from reminders.quiet import QuietHours
from services.calendar_steps.items import PASSPORT, VPR
from services.calendar_steps.nudges import plan_nudges
from services.collections.nudges import CALENDAR as COLLECTIONS
from services.collections.nudges import replan_person as replan_collections
from services.completeness.switch import CALENDAR as SWITCH
from services.completeness.switch import plan_switch
from services.errors import Refused
from services.reminder_settings.concern import concerned
from services.reminder_settings.settings import Context

# The calendars whose reminders honour their own quiet hours, in the order /reminders lists them.
QUIET_CALENDARS = (OLYMPIAD, PASSPORT, VPR, SWITCH, COLLECTIONS)
# Built into the bot rather than loaded from a calendar file: always there.
_BUILT_IN = frozenset({COLLECTIONS})
_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–—]\s*(\d{1,2})(?::(\d{2}))?\s*$")
_LAST_HOUR, _LAST_MINUTE = 23, 59


def parse_hours(text: str) -> QuietHours:
    """ "18–09", "18-9" or "22:30–07:00": the quiet hours, or a refusal that says what is wrong."""
    found = _HOURS.match(text)
    if found is None:
        raise Refused("quiet_bad_format")
    h1, m1, h2, m2 = (int(part or 0) for part in found.groups())
    if max(h1, h2) > _LAST_HOUR or max(m1, m2) > _LAST_MINUTE:
        raise Refused("quiet_bad_time")
    if (h1, m1) == (h2, m2):
        raise Refused("quiet_same_hours")
    return QuietHours(dt.time(h1, m1), dt.time(h2, m2))


def deployment_calendars(calendars: Mapping[str, Calendar] | None) -> list[str]:
    """The calendars of the deployment that have quiet hours of their own."""
    if calendars is None:
        return []
    return [code for code in QUIET_CALENDARS if code in _BUILT_IN or code in calendars]


async def quiet_calendars(
    session: AsyncSession, user_id: int, calendars: Mapping[str, Calendar] | None
) -> list[str]:
    """The calendars a person may set their own quiet hours for: the deployment's that concern
    them."""
    return await concerned(session, user_id, deployment_calendars(calendars), calendars or {})


async def checked(session: AsyncSession, ctx: Context, calendar: str) -> str:
    """A calendar code from a button or a saved state: refused unless it is one of this
    person's."""
    if calendar not in await quiet_calendars(session, ctx.user_id, ctx.calendars):
        raise Refused("reminder_bad_choice")
    return calendar


async def own_quiet(session: AsyncSession, user_id: int) -> dict[str, QuietHours]:
    return await quiet_by_calendar(session, user_id)


async def set_calendar_quiet(
    session: AsyncSession, ctx: Context, calendar: str, quiet: QuietHours | None
) -> None:
    """The calendar's own quiet hours (None: as the general ones), then that calendar's rows."""
    code = await checked(session, ctx, calendar)
    await session.execute(
        delete(CalendarQuiet).where(
            CalendarQuiet.user_id == ctx.user_id, CalendarQuiet.calendar == code
        )
    )
    if quiet is not None:
        session.add(
            CalendarQuiet(
                user_id=ctx.user_id,
                calendar=code,
                quiet_start=time_to_minutes(quiet.start),
                quiet_end=time_to_minutes(quiet.end),
                updated_at=ctx.now,
            )
        )
    await session.flush()
    await replan_calendar(session, ctx, code)


async def replan_calendar(session: AsyncSession, ctx: Context, code: str) -> None:
    if code == OLYMPIAD:
        await replan_user(session, ctx.user_id, ctx.rules, ctx.now)
        return
    if code == COLLECTIONS:
        await replan_collections(session, ctx.user_id, ctx.now, ctx.default_zone)
        return
    assert ctx.calendars is not None
    # Taken back and planned again: a reminder moved within its day keeps its key.
    kind = "sw" if code == SWITCH else "cs"
    await session.execute(
        delete(Outbox)
        .where(
            Outbox.user_id == ctx.user_id,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.key.startswith(f"{MESSAGE_KEY_PREFIX}{kind}:{code}:"),
        )
        .execution_options(synchronize_session=False)
    )
    calendar = ctx.calendars[code]
    if code == SWITCH:
        await plan_switch(session, calendar, ctx.now, ctx.default_zone, only_user=ctx.user_id)
    else:
        await plan_nudges(session, {code: calendar}, ctx.now, only_user=ctx.user_id)
