"""Results screens: the events to work on, an event's results card and its participants.

Changing results lives in `results_entry`, files in `results_upload`, publication in
`results_publish`; who may do what in `results_access`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import EventStatus, Level, Placement
from models.geo import School
from models.olympiad import Registration, Subject
from models.people import User
from services.authz import Action, authorize_entry, may_act_somewhere
from services.errors import Refused
from services.people.identity import Identity
from services.results.access import (
    authorize_score_entry,
    is_organiser,
    load_event,
    results_events,
    visible_schools,
)

PAGE_SIZE = 10


@dataclass(frozen=True)
class EventCard:
    id: int
    subject: str
    level: Level
    held_on: dt.date
    status: EventStatus
    max_score: float | None
    passing_score: float | None
    passing_scores: dict[str, float]
    published_at: dt.datetime | None
    total: int
    scored: int
    organiser: bool
    may_enter: bool
    own_schools_only: bool

    @property
    def open(self) -> bool:
        return self.status == EventStatus.SUMMARIZING and self.published_at is None


@dataclass(frozen=True)
class Participant:
    reg_id: int
    name: str
    grade: int
    school: str
    score: float | None
    placement: Placement | None


@dataclass(frozen=True)
class ParticipantsPage:
    event_id: int
    items: tuple[Participant, ...]
    page: int
    pages: int


@dataclass(frozen=True)
class EventItem:
    id: int
    subject: str
    level: Level
    held_on: dt.date


def subject_name(subject: Subject, locale: str) -> str:
    return subject.name_en if locale == "en" else subject.name_ru


async def my_events(session: AsyncSession, ident: Identity, locale: str) -> list[EventItem]:
    """The events I enter or publish results of; refuses people with no such role at all."""
    if not may_act_somewhere(ident, Action.PUBLISH_RESULTS):
        authorize_entry(ident, Action.ENTER_RESULTS)
    return [
        EventItem(e.id, subject_name(e.subject, locale), e.level, e.held_on)
        for e in await results_events(session, ident)
    ]


_Row = Select[int, str, int, str, float | None, Placement | None]


def _participants(event_id: int, schools: frozenset[int] | None) -> _Row:
    query = (
        select(
            Registration.id,
            User.full_name,
            Registration.grade,
            func.coalesce(School.name, ""),
            Registration.score,
            Registration.placement,
        )
        .join(User, Registration.student_id == User.id)
        .outerjoin(School, User.school_id == School.id)
        .where(Registration.event_id == event_id)
        .order_by(User.full_name, Registration.id)
    )
    if schools is not None:
        query = query.where(User.school_id.in_(schools))
    return query


async def event_card(
    session: AsyncSession, ident: Identity, event_id: int, locale: str
) -> EventCard:
    event = await load_event(session, event_id)
    schools, may_enter = await visible_schools(session, ident, event)
    counts = _participants(event.id, schools).order_by(None).subquery()
    total, scored = (await session.execute(select(func.count(), func.count(counts.c.score)))).one()
    return EventCard(
        id=event.id,
        subject=subject_name(event.subject, locale),
        level=event.level,
        held_on=event.held_on,
        status=event.status,
        max_score=event.max_score,
        passing_score=event.passing_score,
        passing_scores=dict(event.passing_scores or {}),
        published_at=event.results_published_at,
        total=int(total),
        scored=int(scored),
        organiser=is_organiser(ident, event),
        may_enter=may_enter,
        own_schools_only=schools is not None,
    )


async def participants_page(
    session: AsyncSession, ident: Identity, event_id: int, page: int
) -> ParticipantsPage:
    """One page of the participants the person may score; one query for the whole list."""
    event = await load_event(session, event_id)
    schools, _ = await visible_schools(session, ident, event)
    rows = (await session.execute(_participants(event.id, schools))).all()
    everyone = [Participant(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]
    pages = max(1, -(-len(everyone) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    start = page * PAGE_SIZE
    return ParticipantsPage(event.id, tuple(everyone[start : start + PAGE_SIZE]), page, pages)


async def participant(
    session: AsyncSession, ident: Identity, reg_id: int
) -> tuple[Participant, int]:
    """One participant the person may score, with the event id."""
    found = (
        await session.execute(
            select(Registration.event_id, User.school_id)
            .join(User, Registration.student_id == User.id)
            .where(Registration.id == reg_id)
        )
    ).one_or_none()
    if found is None:
        raise Refused("res_unknown_registration")
    event = await load_event(session, found[0])
    if not is_organiser(ident, event):
        await authorize_score_entry(session, ident, event, found[1])
    row = (
        await session.execute(_participants(event.id, None).where(Registration.id == reg_id))
    ).one()
    return Participant(row[0], row[1], row[2], row[3], row[4], row[5]), event.id
