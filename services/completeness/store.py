"""Card completeness: reported by an organisation's responsible person, or uploaded as a table
by a coordinator (all rows or none), and shown per municipality, the low ones first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.collections import CardCompleteness
from models.geo import Municipality, School
from services.audit import record as audit
from services.collections.access import coordinator_scope
from services.collections.people import responsible_school_ids
from services.completeness.bands import Band, band_of
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope, school_scope

BAND_ORDER = (Band.LOW, Band.MEDIUM, Band.HIGH)


async def save(
    session: AsyncSession,
    values: Mapping[int, int],
    source: str,
    by: Identity,
    now: dt.datetime,
) -> None:
    """Sets each school's figure (school id → tenths); one row per school, the latest wins."""
    existing = {
        row.school_id: row
        for row in await session.scalars(
            select(CardCompleteness).where(CardCompleteness.school_id.in_(list(values)))
        )
    }
    for school_id, tenths in values.items():
        row = existing.get(school_id)
        if row is None:
            session.add(
                CardCompleteness(school_id=school_id, tenths=tenths, source=source,
                                 reported_by_id=by.user.id, reported_at=now)
            )  # fmt: skip
        else:
            row.tenths, row.source, row.reported_by_id, row.reported_at = (
                tenths, source, by.user.id, now,
            )  # fmt: skip
    await session.flush()


async def report_own(
    session: AsyncSession, ident: Identity, school_id: int, tenths: int, now: dt.datetime
) -> Band:
    """The responsible person of an organisation reports its percentage."""
    if school_id not in responsible_school_ids(ident):
        raise Refused("forbidden")
    before = await session.scalar(
        select(CardCompleteness.tenths).where(CardCompleteness.school_id == school_id)
    )
    await save(session, {school_id: tenths}, "bot", ident, now)
    school = await session.get(School, school_id)
    await audit.record(
        session, ident, "completeness_report", await school_scope(session, school_id),
        school.name if school else str(school_id), now,
        before={"percent": None if before is None else before / 10},
        after={"percent": tenths / 10},
    )  # fmt: skip
    return band_of(tenths)


@dataclass(frozen=True)
class OrgFigure:
    school_id: int
    name: str
    tenths: int | None

    @property
    def band(self) -> Band | None:
        return None if self.tenths is None else band_of(self.tenths)


@dataclass(frozen=True)
class MunicipalityFigures:
    name: str
    orgs: list[OrgFigure]  # low first, then medium, high, and those without a figure

    def count(self, band: Band) -> int:
        return sum(1 for org in self.orgs if org.band == band)


def _rank(org: OrgFigure) -> tuple[int, int, str]:
    if org.tenths is None:
        return (len(BAND_ORDER), 0, org.name)
    return (BAND_ORDER.index(band_of(org.tenths)), org.tenths, org.name)


async def figures(session: AsyncSession, scope: Scope) -> list[MunicipalityFigures]:
    """Per municipality of the scope, each organisation's figure, the lowest first."""
    query = (
        select(Municipality.id, Municipality.name, School.id, School.name, CardCompleteness.tenths)
        .join(School, School.municipality_id == Municipality.id)
        .outerjoin(CardCompleteness, CardCompleteness.school_id == School.id)
        .order_by(Municipality.name, Municipality.id)
    )
    if scope.municipality_id is not None:
        query = query.where(Municipality.id == scope.municipality_id)
    else:
        query = query.where(Municipality.region_id == scope.region_id)
    groups: dict[int, MunicipalityFigures] = {}
    for m_id, m_name, s_id, s_name, tenths in await session.execute(query):
        group = groups.setdefault(m_id, MunicipalityFigures(m_name, []))
        group.orgs.append(OrgFigure(s_id, s_name, tenths))
    for group in groups.values():
        group.orgs.sort(key=_rank)
    return list(groups.values())


async def scope_figures(
    session: AsyncSession, ident: Identity
) -> tuple[Scope, list[MunicipalityFigures]]:
    scope = await coordinator_scope(session, ident)
    return scope, await figures(session, scope)


async def own_figures(session: AsyncSession, ident: Identity) -> list[OrgFigure]:
    ids = responsible_school_ids(ident)
    if not ids:
        return []
    rows = await session.execute(
        select(School.id, School.name, CardCompleteness.tenths)
        .outerjoin(CardCompleteness, CardCompleteness.school_id == School.id)
        .where(School.id.in_(ids))
        .order_by(School.name)
    )
    return [OrgFigure(s, n, t) for s, n, t in rows]


def low_ones(groups: Sequence[MunicipalityFigures]) -> list[OrgFigure]:
    return [org for group in groups for org in group.orgs if org.band == Band.LOW]
