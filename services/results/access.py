"""Who may enter or manage the results of which event, decided through `services.authz`.

Organisers act on a whole event; a school curator acts on the students of their own school in
the school stage of their municipality. Every decision is one of `authz.allowed/authorize`.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models.enums import EventStatus, Role
from models.geo import Municipality, School
from models.olympiad import OlympiadEvent
from services.authz import Action, allowed, authorize
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope, school_scope


def event_scope(event: OlympiadEvent) -> Scope:
    return Scope(region_id=event.region_id, municipality_id=event.municipality_id)


async def load_event(session: AsyncSession, event_id: int) -> OlympiadEvent:
    event = await session.scalar(
        select(OlympiadEvent)
        .options(joinedload(OlympiadEvent.subject))
        .where(OlympiadEvent.id == event_id)
    )
    if event is None:
        raise Refused("unknown_event")
    return event


async def curator_scopes(session: AsyncSession, ident: Identity) -> list[Scope]:
    """The schools the person curates, placed in their municipality and region."""
    ids = [g.school_id for g in ident.grants if g.role == Role.CURATOR and g.school_id]
    if not ids:
        return []
    rows = await session.execute(
        select(School.id, School.municipality_id, Municipality.region_id)
        .join(Municipality, School.municipality_id == Municipality.id)
        .where(School.id.in_(ids))
    )
    return [Scope(region_id=r, municipality_id=m, school_id=s) for s, m, r in rows]


def is_organiser(ident: Identity, event: OlympiadEvent) -> bool:
    return allowed(ident, Action.PUBLISH_RESULTS, event_scope(event), event.level)


def authorize_organiser(ident: Identity, event: OlympiadEvent) -> None:
    authorize(ident, Action.PUBLISH_RESULTS, event_scope(event), event.level)


def _schools_for(
    ident: Identity, event: OlympiadEvent, curated: list[Scope]
) -> frozenset[int] | None:
    """None: the whole event; else the schools whose students the person may score."""
    target = event_scope(event)
    if allowed(ident, Action.ENTER_RESULTS, target, event.level):
        return None
    return frozenset(
        s.school_id
        for s in curated
        if s.school_id is not None
        and s.within(target)
        and allowed(ident, Action.ENTER_RESULTS, s, event.level)
    )


async def entry_schools(
    session: AsyncSession, ident: Identity, event: OlympiadEvent
) -> frozenset[int] | None:
    """As `_schools_for`, refusing (and logging) a person who may score nobody here."""
    schools = _schools_for(ident, event, await curator_scopes(session, ident))
    if schools is not None and not schools:
        authorize(ident, Action.ENTER_RESULTS, event_scope(event), event.level)
    return schools


async def visible_schools(
    session: AsyncSession, ident: Identity, event: OlympiadEvent
) -> tuple[frozenset[int] | None, bool]:
    """Whose results the person sees (None: everyone's) and whether they may enter scores.

    The organiser sees the whole event even where others enter the scores (the municipal
    coordinator places and publishes the school stage that curators score)."""
    schools = _schools_for(ident, event, await curator_scopes(session, ident))
    may_enter = schools is None or bool(schools)
    if is_organiser(ident, event):
        return None, may_enter
    if not may_enter:
        authorize(ident, Action.ENTER_RESULTS, event_scope(event), event.level)
    return schools, may_enter


async def authorize_score_entry(
    session: AsyncSession, ident: Identity, event: OlympiadEvent, school_id: int | None
) -> None:
    """May the person score this one student (a school's student for a curator)?"""
    target = event_scope(event)
    if allowed(ident, Action.ENTER_RESULTS, target, event.level):
        return
    if school_id is not None:
        school = await school_scope(session, school_id)
        if school.within(target):
            target = school
    authorize(ident, Action.ENTER_RESULTS, target, event.level)


async def organiser_event(session: AsyncSession, ident: Identity, event_id: int) -> OlympiadEvent:
    """The event its organiser is about to act on (and be asked a value for). The scope comes
    first: an event that is not theirs tells nothing of its state, not even its status."""
    event = await load_event(session, event_id)
    authorize_organiser(ident, event)
    ensure_open(event)
    return event


def ensure_open(event: OlympiadEvent) -> None:
    """Results are entered only while the event is being summed up and not yet published."""
    if event.results_published_at is not None:
        raise Refused("res_results_published")
    if event.status != EventStatus.SUMMARIZING:
        raise Refused("res_results_not_open")


async def results_events(session: AsyncSession, ident: Identity) -> list[OlympiadEvent]:
    """Events being summed up (or closed but unpublished) that the person may work on."""
    curated = await curator_scopes(session, ident)
    query = (
        select(OlympiadEvent)
        .options(joinedload(OlympiadEvent.subject))
        .where(
            or_(
                OlympiadEvent.status == EventStatus.SUMMARIZING,
                (OlympiadEvent.status == EventStatus.FINISHED)
                & OlympiadEvent.results_published_at.is_(None),
            )
        )
        .order_by(OlympiadEvent.held_on.desc(), OlympiadEvent.id)
    )
    if Role.ADMIN not in ident.roles:
        regions = {g.region_id for g in ident.grants if g.role == Role.REGIONAL}
        municipalities = {g.municipality_id for g in ident.grants if g.role == Role.MUNICIPAL}
        municipalities.update(s.municipality_id for s in curated)
        query = query.where(
            or_(
                OlympiadEvent.region_id.in_({r for r in regions if r is not None}),
                OlympiadEvent.municipality_id.in_({m for m in municipalities if m is not None}),
            )
        )
    events = (await session.scalars(query)).unique().all()
    nobody: frozenset[int] = frozenset()
    return [
        e for e in events if is_organiser(ident, e) or _schools_for(ident, e, curated) != nobody
    ]
