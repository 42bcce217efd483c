"""Quiet hours per calendar: a person's own for one calendar stand in for their general ones
in that calendar's reminders (a data operator takes «Паспорт школы» nudges in working hours
only and olympiad reminders at their usual times)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import CalendarQuiet, ReminderPreference
from reminders.prefs import minutes_to_time
from reminders.quiet import QuietHours

OLYMPIAD = "olympiad"  # the olympiad calendar's code (data/reference/calendars/olympiad.yaml)


def quiet_columns() -> tuple[ColumnElement[int], ColumnElement[int]]:
    """Start and end of the quiet hours in effect: the calendar's own, else the general ones
    (None when the person has neither: the defaults)."""
    return (
        func.coalesce(CalendarQuiet.quiet_start, ReminderPreference.quiet_start).label(
            "quiet_start"
        ),
        func.coalesce(CalendarQuiet.quiet_end, ReminderPreference.quiet_end).label("quiet_end"),
    )


def join_quiet(query: Any, user_id: Any, calendar: str = OLYMPIAD) -> Any:
    """Joins the person's own quiet hours of the calendar, if any, for `quiet_columns`."""
    on = and_(CalendarQuiet.user_id == user_id, CalendarQuiet.calendar == calendar)
    return query.outerjoin(CalendarQuiet, on)


def _hours(start: int, end: int) -> QuietHours:
    return QuietHours(minutes_to_time(start), minutes_to_time(end))


async def calendar_quiet(
    session: AsyncSession, calendar: str, user_ids: Collection[int]
) -> dict[int, QuietHours]:
    """The people's own quiet hours of one calendar (those who set none are absent)."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(CalendarQuiet.user_id, CalendarQuiet.quiet_start, CalendarQuiet.quiet_end).where(
            CalendarQuiet.calendar == calendar, CalendarQuiet.user_id.in_(list(user_ids))
        )
    )
    return {user_id: _hours(start, end) for user_id, start, end in rows}


async def quiet_by_calendar(session: AsyncSession, user_id: int) -> dict[str, QuietHours]:
    """Every calendar one person set their own quiet hours for."""
    rows = await session.execute(
        select(CalendarQuiet.calendar, CalendarQuiet.quiet_start, CalendarQuiet.quiet_end).where(
            CalendarQuiet.user_id == user_id
        )
    )
    return {code: _hours(start, end) for code, start, end in rows}
