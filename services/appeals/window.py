"""The appeal window of an event: the level's default from the data file, or the organiser's
own (an instant, or a duration from publication); results are final once it has closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Level
from models.geo import Region
from models.olympiad import OlympiadEvent
from models.olympiad_day import EventDaySetting
from services.reference.day_schema import OlympiadDayFile
from services.rules.deadlines import TimeLeft, time_left
from services.rules.olympiad_day import AppealOverride, appeal_closes


async def event_zone(session: AsyncSession, event: OlympiadEvent) -> str:
    zone = await session.scalar(select(Region.timezone).where(Region.id == event.region_id))
    return zone or "Europe/Moscow"


def _override(setting: EventDaySetting | None) -> AppealOverride:
    if setting is None:
        return AppealOverride()
    return AppealOverride(until=setting.appeal_until, hours=setting.appeal_hours)


async def closes_at(
    session: AsyncSession, event: OlympiadEvent, day: OlympiadDayFile
) -> dt.datetime | None:
    """When appeals on the event close; None while the results are not published."""
    if event.results_published_at is None:
        return None
    setting = await session.get(EventDaySetting, event.id)
    rule = day.appeal_rule(Level(event.level))
    zone = await event_zone(session, event)
    return appeal_closes(event.results_published_at, rule, _override(setting), zone)


def is_open(closes: dt.datetime | None, now: dt.datetime) -> bool:
    return closes is not None and now < closes


async def still_open(
    session: AsyncSession, events: Iterable[OlympiadEvent], day: OlympiadDayFile,
    now: dt.datetime,
) -> list[OlympiadEvent]:  # fmt: skip
    """The published events whose results are still preliminary (appeals being accepted)."""
    return [e for e in events if is_open(await closes_at(session, e, day), now)]


async def open_windows(
    session: AsyncSession, event_ids: Iterable[int], day: OlympiadDayFile, now: dt.datetime
) -> dict[int, tuple[dt.datetime, TimeLeft]]:
    """For the events among `event_ids` still accepting appeals: when that ends, time left."""
    ids = list(set(event_ids))
    if not ids:
        return {}
    events = await session.scalars(
        select(OlympiadEvent).where(
            OlympiadEvent.id.in_(ids), OlympiadEvent.results_published_at.is_not(None)
        )
    )
    found = {}
    for event in events:
        closes = await closes_at(session, event, day)
        left = time_left(closes, now) if closes is not None else None
        if closes is not None and left is not None:
            found[event.id] = (closes, left)
    return found
