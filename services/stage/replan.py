"""The one place stage changes re-plan reminders: after events are created, edited or change
status, their reminder rows in the outbox follow in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from reminders.planner import replan_event


async def replan_events(
    session: AsyncSession, event_ids: Iterable[int], rules: Calendar, now: dt.datetime
) -> None:
    for event_id in sorted(set(event_ids)):
        await replan_event(session, event_id, rules, now)
