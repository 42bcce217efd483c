"""Reminding the organisations in the low band to fill their cards in (once a day at most),
each person at once or, in their quiet hours, when those end."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models.zones import zones_of
from reminders.notices import queue_notices
from reminders.quiet import place
from services.audit import record as audit
from services.collections.nudges import quiet_hours_of
from services.collections.people import responsible_people
from services.completeness.bands import percent_text
from services.completeness.store import low_ones, scope_figures
from services.people.identity import Identity

WITHIN = dt.timedelta(days=1)


async def remind_low(
    session: AsyncSession, ident: Identity, now: dt.datetime, default_zone: str
) -> tuple[int, int]:
    """Queues a reminder to the responsible people of each low organisation of the scope;
    returns (organisations, messages). The key holds the day: pressing twice sends once."""
    scope, groups = await scope_figures(session, ident)
    low = low_ones(groups)
    people = await responsible_people(session, [org.school_id for org in low])
    users = {u.id: u for group in people.values() for u in group}
    zones = await zones_of(session, users, default_zone)
    quiet = await quiet_hours_of(session, users)
    queued = 0
    for org in low:
        assert org.tenths is not None  # a low organisation has a figure
        for user in people.get(org.school_id, []):
            zone = ZoneInfo(zones.get(user.id, default_zone))
            queued += await queue_notices(
                session, [user], f"cmp:low:{org.school_id}:{now.date().isoformat()}",
                "completeness/low.html", place(now, now + WITHIN, zone, quiet[user.id]),
                context={"school": org.name, "percent": percent_text(org.tenths)},
            )  # fmt: skip
    await audit.record(session, ident, "completeness_remind", scope, "", now,
                       after={"participants": len(low)})  # fmt: skip
    return len(low), queued
