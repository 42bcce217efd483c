"""Nudging the organisations that have not started as a collection's close nears.

A nudge goes at `NUDGE_TIME` in the organisation's own zone, `NUDGE_DAYS` local days before the
day the collection closes (the close is a Moscow instant: in Yuzhno-Sakhalinsk 18:00 Moscow time
is 02:00 the next day, so its days are counted from that later date), moved out of the
recipient's quiet hours: their own for the collections (`CALENDAR`, set in /reminders) where they
set them, else their general ones. Rows are keyed per collection, organisation, nudge and person,
so planning again adds nothing; starting work takes the organisation's pending nudges back, and a
change of a person's collections quiet hours plans their pending ones again (`replan_person`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import MOSCOW_TZ
from models.collections import Collection, CollectionOrg, OrgState
from models.geo import Municipality, Region, School
from models.outbox import Outbox, OutboxStatus, ReminderPreference
from models.people import RoleGrant, User
from models.zones import zones_of
from reminders.audience import prefs_of
from reminders.calendar_quiet import calendar_quiet
from reminders.notices import Button, queue_notices
from reminders.outbox import MESSAGE_KEY_PREFIX
from reminders.quiet import DEFAULT_QUIET, QuietHours, place
from reminders.views import when_line
from services.collections.people import SCHOOL_ROLES, responsible_people
from ui.callbacks.collections import ColAct, ColCb

# The collections' code among the calendars whose quiet hours a person may set apart (they are
# built in, not a calendar file).
CALENDAR = "collections"
NUDGE_DAYS = (3, 1)
NUDGE_TIME = dt.time(10, 0)


def nudge_instants(
    opens_at: dt.datetime, closes_at: dt.datetime, zone: str
) -> list[tuple[int, dt.datetime]]:
    """(days before, instant) of each nudge inside the window, for an organisation in `zone`."""
    tz = ZoneInfo(zone)
    close_day = closes_at.astimezone(tz).date()
    found = []
    for days in NUDGE_DAYS:
        local = dt.datetime.combine(close_day - dt.timedelta(days=days), NUDGE_TIME, tzinfo=tz)
        instant = local.astimezone(dt.UTC)
        if opens_at <= instant < closes_at:
            found.append((days, instant))
    return found


def _open_button(collection_id: int, school_id: int) -> Button:
    return Button(
        "Open the collection", ColCb(act=ColAct.MINE, c=collection_id, s=school_id).pack()
    )


def _key(collection_id: int, school_id: int, days: int | None = None) -> str:
    tail = "" if days is None else f"{days}"
    return f"col:{collection_id}:nudge:{school_id}:{tail}"


async def school_zones(
    session: AsyncSession, school_ids: Iterable[int], default_zone: str
) -> dict[int, str]:
    rows = await session.execute(
        select(School.id, func.coalesce(School.timezone, Region.timezone))
        .join(Municipality, School.municipality_id == Municipality.id)
        .join(Region, Municipality.region_id == Region.id)
        .where(School.id.in_(list(school_ids)))
    )
    return {school_id: zone or default_zone for school_id, zone in rows}


async def plan_nudges(
    session: AsyncSession,
    collection: Collection,
    school_ids: Iterable[int],
    now: dt.datetime,
    default_zone: str,
    only_user: int | None = None,
) -> int:
    """Queues the nudges still ahead for these organisations (to one person when `only_user`
    names them); returns how many are new."""
    ids = list(school_ids)
    people = await responsible_people(session, ids)
    if only_user is not None:
        people = {s: [u for u in group if u.id == only_user] for s, group in people.items()}
    places = await school_zones(session, ids, default_zone)
    users = {u.id: u for group in people.values() for u in group}
    zones = await zones_of(session, users, default_zone)
    quiet = await quiet_hours_of(session, users, CALENDAR)
    queued = 0
    for school_id in ids:
        for days, instant in nudge_instants(collection.opens_at, collection.closes_at,
                                            places.get(school_id, default_zone)):  # fmt: skip
            for user in people.get(school_id, []):
                zone = zones.get(user.id, default_zone)
                due = place(instant, collection.closes_at, ZoneInfo(zone), quiet[user.id])
                if due <= now:
                    continue
                queued += await queue_notices(
                    session, [user], _key(collection.id, school_id, days),
                    "collections/nudge.html", due, expires_at=collection.closes_at,
                    buttons=[_open_button(collection.id, school_id)],
                    context={"collection": collection, "zone": zone, "when": when_line,
                             "moscow": MOSCOW_TZ, "school_id": school_id},
                )  # fmt: skip
    return queued


async def quiet_hours_of(
    session: AsyncSession, users: dict[int, User], calendar: str | None = None
) -> dict[int, QuietHours]:
    """Each person's quiet hours: their own for `calendar` where they set them, else general."""
    rows = await session.execute(
        select(
            ReminderPreference.user_id,
            ReminderPreference.quiet_start,
            ReminderPreference.quiet_end,
        ).where(ReminderPreference.user_id.in_(list(users)))
    )
    found = {user_id: prefs_of(None, start, end, None).quiet for user_id, start, end in rows}
    if calendar is not None:
        found.update(await calendar_quiet(session, calendar, list(users)))
    return {user_id: found.get(user_id, DEFAULT_QUIET) for user_id in users}


async def withdraw_nudges(session: AsyncSession, collection_id: int, school_id: int) -> int:
    """Takes back the organisation's nudges not sent yet (it started work)."""
    pattern = MESSAGE_KEY_PREFIX + _key(collection_id, school_id) + "%"
    result = await session.execute(
        delete(Outbox)
        .where(Outbox.key.like(pattern), Outbox.status == OutboxStatus.PENDING)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def replan_person(
    session: AsyncSession, user_id: int, now: dt.datetime, default_zone: str
) -> int:
    """Takes back one person's pending nudges and plans them again (their collections quiet
    hours changed): every open collection, for the organisations they answer for that have not
    started. Returns how many rows are new."""
    await session.execute(
        delete(Outbox)
        .where(
            Outbox.user_id == user_id,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.key.like(f"{MESSAGE_KEY_PREFIX}col:%:nudge:%"),
        )
        .execution_options(synchronize_session=False)
    )
    mine = select(RoleGrant.school_id).where(
        RoleGrant.user_id == user_id,
        RoleGrant.role.in_(sorted(SCHOOL_ROLES)),
        RoleGrant.revoked_at.is_(None),
        RoleGrant.school_id.is_not(None),
    )
    rows = await session.execute(
        select(Collection, CollectionOrg.school_id)
        .join(CollectionOrg, CollectionOrg.collection_id == Collection.id)
        .where(
            Collection.closes_at > now,
            CollectionOrg.state == OrgState.NOT_STARTED,
            CollectionOrg.school_id.in_(mine),
        )
        .order_by(Collection.id, CollectionOrg.school_id)
    )
    schools: dict[int, list[int]] = {}
    collections: dict[int, Collection] = {}
    for collection, school_id in rows:
        collections[collection.id] = collection
        schools.setdefault(collection.id, []).append(school_id)
    queued = 0
    for collection_id, ids in schools.items():
        queued += await plan_nudges(
            session, collections[collection_id], ids, now, default_zone, only_user=user_id
        )
    return queued
