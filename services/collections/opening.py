"""Opening a collection: its window in Moscow time, the organisations concerned, the template."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import MOSCOW_TZ
from models.collections import Collection, CollectionOrg, OrgState
from models.geo import Municipality, School
from models.zones import zones_of
from reminders.notices import Attachment, Button, queue_notices, queue_notices_with_file
from reminders.quiet import place
from reminders.views import when_line
from services.audit import record as audit
from services.collections.access import coordinator_scope, schools_in
from services.collections.nudges import CALENDAR, plan_nudges, quiet_hours_of
from services.collections.people import responsible_people
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope
from ui.callbacks.collections import ColAct, ColCb

MAX_TITLE = 200
MAX_CODES = 500


@dataclass(frozen=True)
class Draft:
    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    municipality_id: int | None = None  # None: every organisation of the opener's scope
    school_ids: tuple[int, ...] = ()  # a chosen list instead (checked to be in the scope)
    template_file_id: str | None = None
    template_name: str | None = None


def check_title(text: str) -> str:
    title = " ".join(text.split())
    if not title or len(title) > MAX_TITLE:
        raise Refused("col_bad_title", limit=MAX_TITLE)
    return title


def check_window(opens_at: dt.datetime, closes_at: dt.datetime, now: dt.datetime) -> None:
    if closes_at <= opens_at:
        raise Refused("col_closes_before_opens")
    if closes_at <= now:
        raise Refused("col_closes_in_past")


async def concerned_scope(
    session: AsyncSession, ident: Identity, municipality_id: int | None
) -> Scope:
    """The opener's scope, or one municipality inside it."""
    scope = await coordinator_scope(session, ident)
    if municipality_id is None or municipality_id == scope.municipality_id:
        return scope
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None or scope.municipality_id is not None:
        raise Refused("forbidden")
    if municipality.region_id != scope.region_id:
        raise Refused("forbidden")
    return Scope(region_id=municipality.region_id, municipality_id=municipality.id)


async def schools_by_codes(session: AsyncSession, ident: Identity, text: str) -> list[int]:
    """The organisations of the coordinator's scope named by their codes (`sosh1, gym1`)."""
    codes = [c for c in re.split(r"[\s,;]+", text.strip()) if c]
    if not codes or len(codes) > MAX_CODES:
        raise Refused("col_bad_codes", limit=MAX_CODES)
    scope = await coordinator_scope(session, ident)
    query = (
        select(School.id, School.code)
        .join(Municipality)
        .where(func.lower(School.code).in_([c.casefold() for c in codes]))
    )
    if scope.municipality_id is not None:
        query = query.where(School.municipality_id == scope.municipality_id)
    else:
        query = query.where(Municipality.region_id == scope.region_id)
    found = list(await session.execute(query))
    known = {code.casefold() for _id, code in found}
    unknown = [c for c in codes if c.casefold() not in known]
    if unknown:
        raise Refused("col_unknown_codes", codes=", ".join(unknown)[:200])
    return sorted({school_id for school_id, _code in found})


async def open_collection(
    session: AsyncSession, ident: Identity, draft: Draft, now: dt.datetime, default_zone: str
) -> Collection:
    """Creates the collection, tells each organisation's responsible people when it opens and
    plans the nudges before it closes; all in the caller's transaction."""
    check_window(draft.opens_at, draft.closes_at, now)
    opener = await coordinator_scope(session, ident)
    target = await concerned_scope(session, ident, draft.municipality_id)
    school_ids = await schools_in(session, target)
    if draft.school_ids:
        if not set(draft.school_ids) <= set(school_ids):
            raise Refused("forbidden")
        school_ids = sorted(set(draft.school_ids))
    if not school_ids:
        raise Refused("col_no_organisations")
    assert opener.region_id is not None
    collection = Collection(
        title=check_title(draft.title), region_id=opener.region_id,
        municipality_id=opener.municipality_id, opens_at=draft.opens_at,
        closes_at=draft.closes_at, template_file_id=draft.template_file_id,
        template_name=draft.template_name, created_by_id=ident.user.id, created_at=now,
    )  # fmt: skip
    session.add(collection)
    await session.flush()
    await session.execute(
        insert(CollectionOrg),
        [
            {"collection_id": collection.id, "school_id": s, "state": OrgState.NOT_STARTED}
            for s in school_ids
        ],
    )
    await audit.record(session, ident, "collection_open", target, collection.title, now,
                       after={"participants": len(school_ids)})  # fmt: skip
    await announce(session, collection, school_ids, now, default_zone)
    await plan_nudges(session, collection, school_ids, now, default_zone)
    return collection


async def announce(
    session: AsyncSession,
    collection: Collection,
    school_ids: list[int],
    now: dt.datetime,
    default_zone: str,
) -> int:
    """Tells the responsible people of each organisation when the collection opens (or when
    their quiet hours end), with the template file when there is one (through the outbox)."""
    people = await responsible_people(session, school_ids)
    users = {u.id: u for group in people.values() for u in group}
    zones = await zones_of(session, users, default_zone)
    quiet = await quiet_hours_of(session, users, CALENDAR)
    start = max(collection.opens_at, now)
    queued = 0
    for school_id, group in people.items():
        buttons = [Button("Open the collection", ColCb(act=ColAct.MINE, c=collection.id,
                                                       s=school_id).pack())]  # fmt: skip
        if collection.template_file_id:
            buttons.append(Button("📎 Template", ColCb(act=ColAct.TEMPLATE, c=collection.id,
                                                      s=school_id).pack()))  # fmt: skip
        for user in group:
            zone = zones.get(user.id, default_zone)
            due = place(start, collection.closes_at, ZoneInfo(zone), quiet[user.id])
            key = f"col:{collection.id}:open:{school_id}"
            context = {"collection": collection, "zone": zone, "when": when_line,
                       "moscow": MOSCOW_TZ}  # fmt: skip
            if collection.template_file_id:
                attachment = Attachment(
                    collection.template_file_id, collection.template_name or "template"
                )
                queued += await queue_notices_with_file(
                    session, [user], key, "collections/opened.html", due, attachment,
                    buttons=buttons, expires_at=collection.closes_at, context=context,
                )  # fmt: skip
                continue
            queued += await queue_notices(
                session, [user], key, "collections/opened.html", due, buttons=buttons,
                expires_at=collection.closes_at, context=context,
            )  # fmt: skip
    return queued
