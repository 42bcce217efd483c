"""The АИС СГО school-year switch (seed 001, preset `school_year_switch`) as reminders.

Each step reminds the levels it names: `school` the responsible people of every organisation,
`municipal_office` and `regional_centre` the coordinators. A deadline is reminded 7 days and 1
day before, a step that opens something ("possible from 1 April") on its day; always at 10:00 in
the reader's own zone, out of their quiet hours. Planning looks `HORIZON` ahead and is keyed per
step, year, reminder and person, so running it every hour adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Audience, Calendar, StepRule
from calendars.steps import dates_year, step_of
from models.people import User
from models.zones import zones_of
from reminders.notices import queue_notices
from reminders.quiet import place
from reminders.views import when_line
from services.collections.nudges import quiet_hours_of
from services.collections.people import MUNICIPAL_ROLES, REGIONAL_ROLES, SCHOOL_ROLES, holders

CALENDAR = "school_year_switch"
HORIZON = dt.timedelta(days=8)
REMIND_AT = dt.time(10, 0)
OPENS = dt.time(0, 0)
DEADLINE_DAYS = (7, 1)
_ROLES = {
    Audience.SCHOOL: SCHOOL_ROLES,
    Audience.MUNICIPAL_OFFICE: MUNICIPAL_ROLES,
    Audience.REGIONAL_CENTRE: REGIONAL_ROLES,
}


def reminder_days(rule: StepRule) -> tuple[int, ...]:
    return (0,) if rule.time == OPENS else DEADLINE_DAYS


def reminders_of(
    rule: StepRule, school_year: int, zone: str
) -> list[tuple[int, dt.datetime, dt.datetime]]:
    """(days before, reminder instant, step instant) of one step for a reader in `zone`."""
    step = step_of(rule, dt.date(school_year, 9, 1), zone, school_year)
    tz = ZoneInfo(zone)
    # A step without a time is due by the end of its day: the next midnight.
    end = step.due_at if rule.time is not None else step.due_at - dt.timedelta(minutes=1)
    last_day = end.astimezone(tz).date()
    found = []
    for days in reminder_days(rule):
        at = dt.datetime.combine(last_day - dt.timedelta(days=days), REMIND_AT, tzinfo=tz)
        found.append((days, at.astimezone(dt.UTC), step.due_at))
    return found


def reader_roles(audience: Iterable[Audience]) -> frozenset[str]:
    """The roles whose holders hear of steps for these audiences (any scope, any calendar)."""
    return frozenset().union(*(_ROLES.get(a, frozenset()) for a in audience))


async def _readers(session: AsyncSession, audience: Iterable[Audience]) -> list[User]:
    roles = reader_roles(audience)
    return await holders(session, roles) if roles else []


async def plan_switch(
    session: AsyncSession,
    calendar: Calendar,
    now: dt.datetime,
    default_zone: str,
    only_user: int | None = None,
) -> int:
    """Queues the reminders falling within `HORIZON` from now (to one person when `only_user`
    names them); returns how many are new. Quiet hours: the calendar's own where set."""
    queued = 0
    first_year = dates_year(now.date())
    for rule in (r for track in calendar.tracks.values() for r in track.steps):
        readers = await _readers(session, rule.audience)
        if only_user is not None:
            readers = [u for u in readers if u.id == only_user]
        if not readers:
            continue
        zones = await zones_of(session, [u.id for u in readers], default_zone)
        quiet = await quiet_hours_of(session, {u.id: u for u in readers}, calendar.code)
        for year in (first_year, first_year + 1):
            for user in readers:
                zone = zones.get(user.id, default_zone)
                for days, at, step_at in reminders_of(rule, year, zone):
                    due = place(at, max(step_at, at + dt.timedelta(hours=1)), ZoneInfo(zone),
                                quiet[user.id])  # fmt: skip
                    if not now <= due < now + HORIZON:
                        continue
                    expires = max(step_at, due) + dt.timedelta(days=1)
                    queued += await queue_notices(
                        session, [user], f"sw:{calendar.code}:{rule.code}:{year}:{days}",
                        "completeness/switch.html", due, expires_at=expires,
                        context={"titles": rule.title or {}, "step_at": step_at, "zone": zone,
                                 "when": when_line, "opens": rule.time == OPENS},
                    )  # fmt: skip
    return queued
