"""The one place stage changes re-plan reminders: after events are created, edited or change
status, their reminder rows in the outbox follow in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from reminders.planner import replan_event
from services.reference.rules_schema import DeadlineRules


async def replan_events(
    session: AsyncSession, event_ids: Iterable[int], rules: DeadlineRules, now: dt.datetime
) -> None:
    for event_id in sorted(set(event_ids)):
        await replan_event(session, event_id, rules, now)
