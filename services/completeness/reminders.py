"""Reminding the organisations in the low band to fill their cards in (once a day at most)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from reminders.notices import queue_notices
from services.audit import record as audit
from services.collections.people import responsible_people
from services.completeness.bands import percent_text
from services.completeness.store import low_ones, scope_figures
from services.people.identity import Identity


async def remind_low(session: AsyncSession, ident: Identity, now: dt.datetime) -> tuple[int, int]:
    """Queues a reminder to the responsible people of each low organisation of the scope;
    returns (organisations, messages). The key holds the day: pressing twice sends once."""
    scope, groups = await scope_figures(session, ident)
    low = low_ones(groups)
    people = await responsible_people(session, [org.school_id for org in low])
    queued = 0
    for org in low:
        assert org.tenths is not None  # a low organisation has a figure
        queued += await queue_notices(
            session, people.get(org.school_id, []),
            f"cmp:low:{org.school_id}:{now.date().isoformat()}", "completeness/low.html", now,
            context={"school": org.name, "percent": percent_text(org.tenths)},
        )  # fmt: skip
    await audit.record(session, ident, "completeness_remind", scope, "", now,
                       after={"participants": len(low)})  # fmt: skip
    return len(low), queued
