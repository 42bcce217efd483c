"""The events that may concern a person, from where they belong (municipalities, regions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import EventStatus, Level
from models.geo import Region
from models.olympiad import OlympiadEvent

PLANNED_STATUSES = (EventStatus.REGISTRATION, EventStatus.CONDUCTING, EventStatus.SUMMARIZING)


@dataclass
class Belonging:
    municipalities: set[int] = field(default_factory=set)
    regions: set[int] = field(default_factory=set)
    whole_regions: set[int] = field(default_factory=set)  # regional coordinator: every event


def lookback(rules: Calendar) -> dt.timedelta:
    """How long after D an event can still have steps ahead."""
    latest = max(track.latest_offset() for track in rules.tracks.values())
    return dt.timedelta(days=max(latest, 0) + 2)


async def candidate_events(
    session: AsyncSession, place: Belonging, rules: Calendar, now: dt.datetime
) -> list[OlympiadEvent]:
    """Live events in the person's municipalities and regions whose steps may lie ahead."""
    if not place.regions:
        return []
    since = (now - lookback(rules)).date()
    query = select(OlympiadEvent).where(
        OlympiadEvent.status.in_(PLANNED_STATUSES),
        OlympiadEvent.held_on >= since,
        or_(
            OlympiadEvent.municipality_id.in_(place.municipalities),
            OlympiadEvent.region_id.in_(place.whole_regions),
            and_(
                OlympiadEvent.region_id.in_(place.regions),
                or_(
                    OlympiadEvent.level == Level.REGIONAL, OlympiadEvent.municipality_id.is_(None)
                ),
            ),
        ),
    )
    return list(await session.scalars(query.order_by(OlympiadEvent.held_on, OlympiadEvent.id)))


async def region_zones(session: AsyncSession, events: list[OlympiadEvent]) -> dict[int, str]:
    ids = {event.region_id for event in events}
    rows = await session.execute(select(Region.id, Region.timezone).where(Region.id.in_(ids)))
    return {region_id: zone for region_id, zone in rows}
