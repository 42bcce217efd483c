"""Planning after a registration change, outside the transaction that made the change.

A registration change records its students in its own transaction (`models.plan_requests`);
once it commits, `PlanDrainer.drain` takes the waiting requests out in batches and plans each
event's students together with `replan_students`, in a transaction of its own. Whoever commits
a request kicks the drainer (the update's middleware, a background job); the reminder worker's
tick drains whatever a crash or a failed drain left, on any replica.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from calendars.schema import Calendar
from models import plan_requests
from reminders.planner import replan_students

log = logging.getLogger(__name__)
BATCH = 2000  # requests per transaction: a burst of presses is planned per event, set-based


def queued(session: AsyncSession) -> bool:
    """Whether the session queued a request since the last call (and forgets it)."""
    return bool(session.info.pop(plan_requests.QUEUED_FLAG, False))


async def plan_waiting(
    session: AsyncSession, rules: Calendar, now: dt.datetime, limit: int | None = None
) -> int:
    """Plans up to `limit` (a batch) waiting requests in the caller's transaction; returns how
    many."""
    taken = await plan_requests.claim(session, limit or BATCH)
    by_event: dict[int, set[int]] = defaultdict(set)
    for event_id, student_id in taken:
        by_event[event_id].add(student_id)
    for event_id, students in sorted(by_event.items()):
        await replan_students(session, event_id, sorted(students), rules, now)
    return len(taken)


class PlanDrainer:
    """Drains the requests, one drain at a time in this process: a kick while a drain runs
    makes that drain look again when it ends, so a burst is planned in a few large batches
    instead of one transaction per press waiting for the write lock."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], rules: Calendar, clock: Clock
    ) -> None:
        self._sessionmaker = sessionmaker
        self._rules = rules
        self._clock = clock
        self._lock = asyncio.Lock()
        self._again = False

    async def kick(self) -> int:
        """Drains now, or, when a drain is running, has it look again; returns how many
        requests this call planned. A failure is logged: the requests stay for the next one."""
        if self._lock.locked():
            self._again = True
            return 0
        try:
            return await self.drain()
        except Exception:
            log.exception("planning queued registrations failed; the next drain tries again")
            return 0

    async def drain(self) -> int:
        planned = 0
        async with self._lock:
            self._again = True
            while self._again:
                self._again = False
                while taken := await self._batch():
                    planned += taken
        return planned

    async def _batch(self) -> int:
        async with self._sessionmaker() as session, session.begin():
            return await plan_waiting(session, self._rules, self._clock.now())
