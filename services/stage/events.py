"""Events as the stage screens and notifications show them, and the people an event concerns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.errors import Refused
from services.notify import curators_of, notify, parents_of
from services.scopes import Scope

Notifier = Callable[..., Awaitable[int]]


@dataclass(frozen=True)
class EventFacts:
    id: int
    subject_id: int
    subject_code: str
    subject_ru: str
    subject_en: str
    sort_order: int
    level: Level
    region_id: int
    municipality_id: int | None
    school_year: int
    held_on: dt.date
    grade_dates: dict[str, str] | None
    grade_min: int
    grade_max: int
    place: str
    status: EventStatus

    @property
    def scope(self) -> Scope:
        return Scope(region_id=self.region_id, municipality_id=self.municipality_id)

    def subject(self, locale: str | None) -> str:
        return self.subject_en if locale == "en" else self.subject_ru


EVENT_COLUMNS = (
    OlympiadEvent.id,
    OlympiadEvent.subject_id,
    Subject.code,
    Subject.name_ru,
    Subject.name_en,
    Subject.sort_order,
    OlympiadEvent.level,
    OlympiadEvent.region_id,
    OlympiadEvent.municipality_id,
    OlympiadEvent.school_year,
    OlympiadEvent.held_on,
    OlympiadEvent.grade_dates,
    OlympiadEvent.grade_min,
    OlympiadEvent.grade_max,
    OlympiadEvent.place,
    OlympiadEvent.status,
)


async def load_events(session: AsyncSession, *where: ColumnElement[bool]) -> list[EventFacts]:
    """Events matching the conditions with their subject names, in one query."""
    rows = await session.execute(
        select(*EVENT_COLUMNS)
        .join(Subject, OlympiadEvent.subject_id == Subject.id)
        .where(*where)
        .order_by(OlympiadEvent.level, Subject.sort_order, OlympiadEvent.id)
    )
    return [facts_from_row(row._mapping) for row in rows]


def facts_from_row(row: Mapping[Any, Any]) -> EventFacts:
    return EventFacts(
        id=row[OlympiadEvent.id],
        subject_id=row[OlympiadEvent.subject_id],
        subject_code=row[Subject.code],
        subject_ru=row[Subject.name_ru],
        subject_en=row[Subject.name_en],
        sort_order=row[Subject.sort_order],
        level=Level(row[OlympiadEvent.level]),
        region_id=row[OlympiadEvent.region_id],
        municipality_id=row[OlympiadEvent.municipality_id],
        school_year=row[OlympiadEvent.school_year],
        held_on=row[OlympiadEvent.held_on],
        grade_dates=row[OlympiadEvent.grade_dates],
        grade_min=row[OlympiadEvent.grade_min],
        grade_max=row[OlympiadEvent.grade_max],
        place=row[OlympiadEvent.place],
        status=EventStatus(row[OlympiadEvent.status]),
    )


async def load_event(session: AsyncSession, event_id: int) -> EventFacts:
    found = await load_events(session, OlympiadEvent.id == event_id)
    if not found:
        raise Refused("unknown_event")
    return found[0]


@dataclass
class Affected:
    """Person → the events among these that concern them: the registered students, their
    parents and the curators of their schools; and for a parent, whose events they are."""

    events: dict[int, set[int]] = field(default_factory=dict)
    children: dict[int, dict[int, list[str]]] = field(default_factory=dict)

    def add(self, person: int, event_id: int) -> None:
        self.events.setdefault(person, set()).add(event_id)


async def affected_people(session: AsyncSession, event_ids: Iterable[int]) -> Affected:
    ids = sorted(set(event_ids))
    affected = Affected()
    if not ids:
        return affected
    rows = (
        await session.execute(
            select(Registration.event_id, Registration.student_id, User.school_id, User.full_name)
            .join(User, Registration.student_id == User.id)
            .where(Registration.event_id.in_(ids))
            .order_by(User.full_name, User.id)
        )
    ).all()
    parents = await parents_of(session, (row.student_id for row in rows))
    curators = await curators_of(session, (row.school_id for row in rows if row.school_id))
    for event_id, student_id, school_id, name in rows:
        affected.add(student_id, event_id)
        for parent in parents.get(student_id, ()):
            affected.add(parent, event_id)
            affected.children.setdefault(parent, {}).setdefault(event_id, []).append(name)
        for curator in curators.get(school_id, []) if school_id else []:
            affected.add(curator, event_id)
    return affected


async def tell_people(
    session: AsyncSession,
    events: Mapping[int, EventFacts],
    *,
    key: str,
    template: str,
    now: dt.datetime,
    extra: Mapping[str, Any],
    notifier: Notifier = notify,
) -> int:
    """One message per person, listing only the events that concern them; a parent's names
    the child (or children) each event is about."""
    affected = await affected_people(session, events)

    def context(user: User) -> dict[str, Any]:
        mine = sorted(
            (events[i] for i in affected.events[user.id]), key=lambda e: (e.sort_order, e.id)
        )
        children = affected.children.get(user.id, {})
        return {"events": mine, "children": children, "locale": user.locale or "ru", **extra}

    result: int = await notifier(
        session, affected.events.keys(), key, template, now, context=context
    )
    return result
