"""Paging and naming the places of rows, shared by the staff, invitation and audit screens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Row, Select, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.geo import Municipality, Region, School
from models.people import RoleGrant
from services.authz import ALLOWED, Action, is_admin
from services.people.identity import Identity
from services.scopes import Scope, grant_scope, municipality_scope, school_scope

PAGE_SIZE = 8
T = TypeVar("T")


@dataclass(frozen=True)
class Paged(Generic[T]):
    items: tuple[T, ...]
    page: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


async def paged(
    session: AsyncSession, stmt: Select[Any], page: int, size: int
) -> tuple[list[Row[Any]], int, int]:
    """One page of rows, the total and the page actually shown; one query unless out of range."""
    counted = stmt.add_columns(func.count().over())
    page = max(page, 0)
    rows = list(await session.execute(counted.limit(size).offset(page * size)))
    if not rows and page > 0:
        # The list shrank under the reader (a role was revoked): show the last page instead.
        total = int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        page = max(0, -(-total // size) - 1)
        rows = list(await session.execute(counted.limit(size).offset(page * size)))
    total = int(rows[0][-1]) if rows else 0
    return [r[:-1] for r in rows], total, page  # type: ignore[misc]


class Places:
    """Names the place of rows whose scope ids may be partial (a curator grant with its school
    only): outer joins derive the municipality and region, so filters see the whole chain."""

    def __init__(self, region_id: Any, municipality_id: Any, school_id: Any) -> None:
        self.school, self.muni, self.region = (
            aliased(School),
            aliased(Municipality),
            aliased(Region),
        )
        self._ids = (region_id, municipality_id, school_id)

    def join(self, stmt: Select[Any]) -> Select[Any]:
        region_id, municipality_id, school_id = self._ids
        muni_id = func.coalesce(municipality_id, self.school.municipality_id)
        return (
            stmt.outerjoin(self.school, self.school.id == school_id)
            .outerjoin(self.muni, self.muni.id == muni_id)
            .outerjoin(
                self.region, self.region.id == func.coalesce(region_id, self.muni.region_id)
            )
        )

    def _region_name(self, locale: str) -> Any:
        return self.region.name_en if locale == "en" else self.region.name_ru

    def columns(self, locale: str) -> tuple[Any, ...]:
        return (
            self.region.id,
            self.muni.id,
            self.school.id,
            self._region_name(locale),
            self.muni.name,
            self.school.name,
        )

    def order(self, locale: str) -> tuple[Any, ...]:
        return (self._region_name(locale), self.muni.name, self.school.name)

    @staticmethod
    def read(values: Sequence[Any]) -> tuple[Scope, str]:
        region_id, muni_id, school_id, region, muni, school = values[:6]
        return Scope(region_id, muni_id, school_id), school or muni or region or ""

    def limit_to(self, stmt: Select[Any], bases: list[Scope] | None) -> Select[Any]:
        """Rows inside any of `bases` (None: everywhere)."""
        if bases is None:
            return stmt
        conditions = [
            self.school.id == b.school_id
            if b.school_id is not None
            else self.muni.id == b.municipality_id
            if b.municipality_id is not None
            else self.region.id == b.region_id
            for b in bases
        ]
        return stmt.where(or_(false(), *conditions))


async def full_scope(session: AsyncSession, grant: RoleGrant) -> Scope:
    if grant.school_id is not None:
        return await school_scope(session, grant.school_id)
    if grant.municipality_id is not None:
        return await municipality_scope(session, grant.municipality_id)
    return grant_scope(grant)


async def scope_bases(
    session: AsyncSession, ident: Identity, action: Action
) -> list[Scope] | None:
    """The places where my roles allow `action`, whole chains; None for an admin (everywhere)."""
    if is_admin(ident):
        return None
    return [
        await full_scope(session, g) for g in ident.grants if action in ALLOWED.get(g.role, ())
    ]
