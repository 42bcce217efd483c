"""Which stages a coordinator organises: a level in a municipality (school and municipal
stages) or in a region (the regional stage), and the school year a stage belongs to now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.school_year import school_year_of
from models.bounds import parse_id
from models.enums import Level
from models.geo import Municipality, Region
from models.olympiad import scope_key_for
from services.authz import Action, allowed, authorize
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope

LEVEL_ORDER = (Level.SCHOOL, Level.MUNICIPAL, Level.REGIONAL)


@dataclass(frozen=True)
class Target:
    """One stage an organiser runs: a level over a municipality or a region."""

    level: Level
    region_id: int
    municipality_id: int | None
    name: str  # of the municipality or the region
    zone: str  # the region's time zone: school years and deadlines are read in it

    @property
    def scope(self) -> Scope:
        return Scope(region_id=self.region_id, municipality_id=self.municipality_id)

    @property
    def scope_key(self) -> str:
        return scope_key_for(self.region_id, self.municipality_id)

    def school_year(self, now: dt.datetime) -> int:
        return current_school_year(now, self.zone)


def current_school_year(now: dt.datetime, zone: str) -> int:
    return school_year_of(now.astimezone(ZoneInfo(zone)).date())


async def organiser_targets(
    session: AsyncSession, ident: Identity, action: Action = Action.CREATE_STAGE
) -> list[Target]:
    """The stages the person may act on as an organiser, school stage first.

    Candidates come from the places the person's grants name; the authorisation layer decides
    which level of which place they organise."""
    muni_ids = {g.municipality_id for g in ident.grants} - {None}
    region_ids = {g.region_id for g in ident.grants if g.municipality_id is None} - {None}
    places: list[tuple[int, int | None, str, str]] = []
    if muni_ids:
        rows = await session.execute(
            select(Region.id, Municipality.id, Municipality.name, Region.timezone)
            .join(Region, Municipality.region_id == Region.id)
            .where(Municipality.id.in_(muni_ids))
            .order_by(Municipality.name)
        )
        places.extend((rid, mid, name, zone) for rid, mid, name, zone in rows)
    if region_ids:
        regions = await session.execute(
            select(Region.id, Region.name_ru, Region.timezone)
            .where(Region.id.in_(region_ids))
            .order_by(Region.name_ru)
        )
        places.extend((rid, None, name, zone) for rid, name, zone in regions)
    return [
        Target(level, region_id, muni_id, name, zone)
        for level in LEVEL_ORDER
        for region_id, muni_id, name, zone in places
        if (muni_id is None) == (level == Level.REGIONAL)
        and allowed(ident, action, Scope(region_id=region_id, municipality_id=muni_id), level)
    ]


def target_code(target: Target) -> str:
    """The compact id of a stage for callback data: "<level letter><scope key>"."""
    return f"{target.level.value[0]}{target.scope_key}"


async def resolve_target(
    session: AsyncSession, ident: Identity, action: Action, code: str
) -> Target:
    """The stage a callback names, after checking the person may act on it."""
    level = {lv.value[0]: lv for lv in LEVEL_ORDER}.get(code[:1])
    kind, scope_id = code[1:2], parse_id(code[2:])
    if level is None or kind not in ("m", "r") or scope_id is None:
        raise Refused("stale_choice")
    if (kind == "r") != (level == Level.REGIONAL):
        raise Refused("stale_choice")
    if kind == "m":
        row = (
            await session.execute(
                select(Municipality.name, Region.id, Region.timezone)
                .join(Region, Municipality.region_id == Region.id)
                .where(Municipality.id == scope_id)
            )
        ).one_or_none()
        if row is None:
            raise Refused("stale_choice")
        target = Target(level, row[1], scope_id, row[0], row[2])
    else:
        region = await session.get(Region, scope_id)
        if region is None:
            raise Refused("stale_choice")
        target = Target(level, region.id, None, region.name_ru, region.timezone)
    authorize(ident, action, target.scope, level)
    return target
