"""What a coordinator sees of a collection (totals, the organisations lagging first) and what a
responsible person sees (the collections of their organisations)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models.collections import Collection, CollectionOrg, OrgState
from models.geo import Municipality, School
from services.collections.people import responsible_school_ids
from services.people.identity import Identity
from services.scopes import Scope

PAGE = 10  # a page of the longest names and both times stays under Telegram's 4096
LISTED = 12  # collections per list on the /collections screen


@dataclass(frozen=True)
class Totals:
    total: int
    not_started: int
    in_progress: int
    submitted: int


@dataclass(frozen=True)
class OrgLine:
    school_id: int
    code: str
    name: str
    municipality: str
    state: OrgState
    started_at: dt.datetime | None
    submitted_at: dt.datetime | None


@dataclass(frozen=True)
class OrgPage:
    lines: list[OrgLine]
    page: int
    pages: int


def _in_scope(scope: Scope) -> ColumnElement[bool]:
    if scope.municipality_id is not None:
        return School.municipality_id == scope.municipality_id
    return true()


async def totals(session: AsyncSession, collection_id: int, scope: Scope) -> Totals:
    counts = {
        state: func.coalesce(func.sum(case((CollectionOrg.state == state, 1), else_=0)), 0)
        for state in OrgState
    }
    query = (
        select(func.count(CollectionOrg.id), *counts.values())
        .join(School, CollectionOrg.school_id == School.id)
        .where(CollectionOrg.collection_id == collection_id, _in_scope(scope))
    )
    row = (await session.execute(query)).one()
    return Totals(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


_LAGGING_FIRST = case(
    (CollectionOrg.state == OrgState.NOT_STARTED, 0),
    (CollectionOrg.state == OrgState.IN_PROGRESS, 1),
    else_=2,
)


_LINE_COLUMNS: list[Any] = [
    School.id,
    School.code,
    School.name,
    Municipality.name,
    CollectionOrg.state,
    CollectionOrg.started_at,
    CollectionOrg.submitted_at,
]


def _lines(collection_id: int, scope: Scope) -> Select[Any]:
    return (
        select(*_LINE_COLUMNS)
        .select_from(CollectionOrg)
        .join(School, CollectionOrg.school_id == School.id)
        .join(Municipality, School.municipality_id == Municipality.id)
        .where(CollectionOrg.collection_id == collection_id, _in_scope(scope))
        .order_by(_LAGGING_FIRST, Municipality.name, School.name, School.id)
    )


def _line(row: tuple[object, ...]) -> OrgLine:
    return OrgLine(*row)  # type: ignore[arg-type]


async def org_page(
    session: AsyncSession, collection_id: int, scope: Scope, page: int, size: int = PAGE
) -> OrgPage:
    total = (await totals(session, collection_id, scope)).total
    pages = max(1, -(-total // size))
    page = min(max(page, 0), pages - 1)
    rows = await session.execute(_lines(collection_id, scope).offset(page * size).limit(size))
    return OrgPage([_line(tuple(r)) for r in rows], page, pages)


async def all_lines(session: AsyncSession, collection_id: int, scope: Scope) -> list[OrgLine]:
    rows = await session.execute(_lines(collection_id, scope))
    return [_line(tuple(r)) for r in rows]


async def coordinated(session: AsyncSession, scope: Scope) -> list[Collection]:
    """The collections of a scope, the latest closing first (a municipality also sees the
    region's collections that concern its organisations)."""
    query = select(Collection).where(Collection.region_id == scope.region_id)
    if scope.municipality_id is not None:
        concerns = (
            select(CollectionOrg.id)
            .join(School, CollectionOrg.school_id == School.id)
            .where(
                CollectionOrg.collection_id == Collection.id,
                School.municipality_id == scope.municipality_id,
            )
            .exists()
        )
        query = query.where(concerns)
    return list(await session.scalars(query.order_by(Collection.closes_at.desc()).limit(LISTED)))


@dataclass(frozen=True)
class MineLine:
    collection: Collection
    school_id: int
    school: str
    state: OrgState


async def mine(session: AsyncSession, ident: Identity, now: dt.datetime) -> list[MineLine]:
    """The open (or opening) collections of the organisations this person answers for."""
    ids = responsible_school_ids(ident)
    if not ids:
        return []
    rows = await session.execute(
        select(Collection, School.id, School.name, CollectionOrg.state)
        .join(CollectionOrg, CollectionOrg.collection_id == Collection.id)
        .join(School, CollectionOrg.school_id == School.id)
        .where(CollectionOrg.school_id.in_(ids), Collection.closes_at > now)
        .order_by(Collection.closes_at, Collection.id, School.name)
        .limit(LISTED)
    )
    return [MineLine(c, s, name, OrgState(state)) for c, s, name, state in rows]
