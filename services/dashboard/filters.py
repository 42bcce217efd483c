"""What a panel shows: the filters a request names, checked against the reader's scope.

A filter comes from a URL anyone can edit, so each named place is authorised before anything
about it is read: a municipal coordinator naming another municipality is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Level
from models.geo import Municipality, School
from models.olympiad import OlympiadEvent, Subject
from services.authz import Action, allowed, authorize, authorize_entry
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope, grant_scope, municipality_scope, school_scope

MAX_QUERY = 100


@dataclass(frozen=True)
class PanelFilter:
    level: Level | None = None
    subject_id: int | None = None
    municipality_id: int | None = None
    school_id: int | None = None
    query: str = ""

    @property
    def search(self) -> str:
        return self.query.strip()[:MAX_QUERY]


async def authorize_filter(session: AsyncSession, ident: Identity, chosen: PanelFilter) -> Scope:
    """The narrowest place the filter names, after checking the reader may monitor it."""
    authorize_entry(ident, Action.VIEW_OVERVIEW)
    scope = Scope()
    try:
        if chosen.municipality_id is not None:
            scope = await municipality_scope(session, chosen.municipality_id)
        school = await school_scope(session, chosen.school_id) if chosen.school_id else None
    except Refused:
        raise Refused("forbidden") from None  # whether such a place exists is not told either
    if chosen.municipality_id is not None:
        authorize(ident, Action.VIEW_OVERVIEW, scope)
    if school is not None:
        if scope.municipality_id not in (None, school.municipality_id):
            school = Scope(region_id=-1, municipality_id=-1, school_id=-1)  # matches nothing
        authorize(ident, Action.VIEW_OVERVIEW, school)
        scope = school
    return scope


def event_filters(chosen: PanelFilter, place: Scope) -> list[ColumnElement[bool]]:
    """Conditions on events: the level and subject, and the events that concern the place
    (a municipality's own events and its region's)."""
    where: list[ColumnElement[bool]] = []
    if chosen.level is not None:
        where.append(OlympiadEvent.level == chosen.level)
    if chosen.subject_id is not None:
        where.append(OlympiadEvent.subject_id == chosen.subject_id)
    if place.municipality_id is not None:
        where.append(
            or_(
                OlympiadEvent.municipality_id == place.municipality_id,
                OlympiadEvent.municipality_id.is_(None),
            )
        )
    return where


def school_filters(ident: Identity, place: Scope, search: str) -> list[ColumnElement[bool]]:
    """Conditions on schools (joined to their municipality): inside my scope and the place."""
    where: list[ColumnElement[bool]] = [monitored_schools(ident)]
    if place.school_id is not None:
        where.append(School.id == place.school_id)
    elif place.municipality_id is not None:
        where.append(School.municipality_id == place.municipality_id)
    if search:
        where.append(text_matches(School.name, search))
    return where


def monitored_schools(ident: Identity) -> ColumnElement[bool]:
    """The schools whose municipality or region the person monitors (a join to Municipality)."""
    if ident.is_admin:
        return School.id.is_not(None)
    regions, munis = _monitored(ident)
    return or_(Municipality.region_id.in_(regions), School.municipality_id.in_(munis))


async def municipalities(session: AsyncSession, ident: Identity) -> list[tuple[int, str]]:
    """The municipalities I may filter by, by name."""
    query = select(Municipality.id, Municipality.name).order_by(Municipality.name)
    if not ident.is_admin:
        regions, munis = _monitored(ident)
        query = query.where(or_(Municipality.region_id.in_(regions), Municipality.id.in_(munis)))
    return [(int(i), str(n)) for i, n in await session.execute(query)]


def text_matches(column: Any, search: str) -> ColumnElement[bool]:
    """The column contains the search, whatever its case. SQLite folds only ASCII letters, so
    the usual spellings of Cyrillic words (as typed, lower, UPPER, Capitalised, Title) are
    tried."""
    spellings = {search, search.lower(), search.upper(), search.capitalize(), search.title()}
    return or_(*(column.ilike(like_pattern(s), escape="\\") for s in sorted(spellings)))


def like_pattern(text: str) -> str:
    """`%text%` for LIKE, with the wildcards the person typed taken literally."""
    quoted = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{quoted}%"


def _monitored(ident: Identity) -> tuple[set[int], set[int]]:
    """The regions and municipalities my grants let me monitor."""
    regions: set[int] = set()
    munis: set[int] = set()
    for grant in ident.grants:
        scope = grant_scope(grant)
        if not allowed(ident, Action.VIEW_OVERVIEW, scope) or scope.school_id is not None:
            continue
        if scope.municipality_id is not None:
            munis.add(scope.municipality_id)
        elif scope.region_id is not None:
            regions.add(scope.region_id)
    return regions, munis


async def subject_choices(session: AsyncSession, locale: str) -> list[tuple[int, str]]:
    name = Subject.name_en if locale == "en" else Subject.name_ru
    query = select(Subject.id, name).order_by(Subject.sort_order, name)
    return [(int(i), str(n)) for i, n in await session.execute(query)]
