"""The event card: everything about one event for one student, read in one statement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from calendars.schema import Calendar
from models.enums import EventStatus, Level, PersonKind, Placement, RegistrationState
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.catalog.scope import school_place, student_facts, subject_name
from services.errors import Refused
from services.registration.window import (
    EventDays,
    GradeBand,
    bands,
    deadline_for_grade,
    held_on_for,
)
from services.rules.deadlines import TimeLeft, time_left
from services.rules.eligibility import (
    EventFacts,
    Ineligible,
    StudentFacts,
    Verdict,
    registration_check,
    unregistration_check,
)


def event_days(event: OlympiadEvent) -> EventDays:
    return EventDays(
        Level(event.level), event.held_on, event.grade_dates, event.grade_min, event.grade_max
    )


def grade_bands(event: OlympiadEvent) -> tuple[GradeBand, ...]:
    """The grade bands when a subject is held on several days; empty when on one."""
    found = bands(event_days(event))
    return found if len(found) > 1 else ()


@dataclass(frozen=True)
class OwnRegistration:
    state: RegistrationState
    score: float | None  # only once the results are published
    placement: Placement | None


@dataclass(frozen=True)
class EventCard:
    event_id: int
    subject: str
    level: Level
    status: EventStatus
    held_on: dt.date
    grade_bands: tuple[GradeBand, ...]  # empty when every grade sits on `held_on`
    grade_min: int
    grade_max: int
    place: str
    max_score: float | None
    registered_count: int
    deadline: dt.datetime
    time_left: TimeLeft | None
    own: OwnRegistration | None
    verdict: Verdict  # may register (not registered yet) or may withdraw (registered)
    zone: str  # the reader's zone, for display
    school_zone: str  # the zone the deadline is read in

    @property
    def registration_closed(self) -> bool:
        """The event still says "registration", but it has closed for this student's grade."""
        return self.status == EventStatus.REGISTRATION and self.time_left is None

    @property
    def can_register(self) -> bool:
        return self.own is None and self.verdict.ok

    @property
    def can_unregister(self) -> bool:
        return self.own is not None and self.verdict.ok


def _statement(viewer: User, student: User, event_id: int, locale: str) -> Select[Any]:
    place = school_place(student.school_id, "place")
    viewer_place = school_place(viewer.school_id, "viewer_place")
    own = aliased(Registration)
    registered = (
        select(func.count(Registration.id))
        .where(Registration.event_id == OlympiadEvent.id)
        .correlate(OlympiadEvent)
        .scalar_subquery()
    )
    return (
        select(
            OlympiadEvent,
            subject_name(locale),
            registered,
            own.state,
            own.score,
            own.placement,
            place.c.municipality_id,
            place.c.region_id,
            place.c.zone,
            viewer_place.c.zone,
        )
        .join(Subject, Subject.id == OlympiadEvent.subject_id)
        .outerjoin(place, true())
        .outerjoin(viewer_place, true())
        .outerjoin(own, and_(own.event_id == OlympiadEvent.id, own.student_id == student.id))
        .where(OlympiadEvent.id == event_id, OlympiadEvent.status != EventStatus.DRAFT)
    )


def _own(event: OlympiadEvent, row: Any, now: dt.datetime) -> OwnRegistration | None:
    if row[3] is None:
        return None
    published = event.results_published_at is not None and event.results_published_at <= now
    return OwnRegistration(
        state=RegistrationState(row[3]),
        score=row[4] if published else None,
        placement=Placement(row[5]) if published and row[5] else None,
    )


def event_facts(event: OlympiadEvent, grade: int | None) -> EventFacts:
    return EventFacts(
        level=Level(event.level),
        status=EventStatus(event.status),
        grade_min=event.grade_min,
        grade_max=event.grade_max,
        region_id=event.region_id,
        municipality_id=event.municipality_id,
        held_on=held_on_for(grade, event.held_on, event.grade_dates),
    )


def _verdict(
    facts: EventFacts,
    student: StudentFacts,
    own: OwnRegistration | None,
    rules: Calendar,
    now: dt.datetime,
) -> Verdict:
    if own is None:
        return registration_check(facts, student, rules, now)
    return unregistration_check(facts, student, own.state, rules, now)


async def event_card(
    session: AsyncSession,
    viewer: User,
    student: User,
    event_id: int,
    now: dt.datetime,
    rules: Calendar,
    *,
    locale: str,
    zone: str,
) -> EventCard:
    """The card as `viewer` sees it, times in their `zone` (the `Viewer`'s)."""
    row = (await session.execute(_statement(viewer, student, event_id, locale))).one_or_none()
    if row is None:
        raise Refused("cat_event_gone")
    event: OlympiadEvent = row[0]
    facts = event_facts(event, student.grade)
    sfacts = student_facts(student.grade, student.school_id, row[6], row[7], row[8], zone)
    own = _own(event, row, now)
    verdict = _verdict(facts, sfacts, own, rules, now)
    if viewer.id == student.id and student.kind != PersonKind.STUDENT and verdict.ok:
        # A parent browsing by their own answers: the child signs up, not the parent.
        verdict = Ineligible("reg_not_a_student", verdict.deadline)
    deadline = verdict.deadline or deadline_for_grade(
        event_days(event), student.grade, sfacts.zone, rules
    )
    return _card(event, row, facts, sfacts, own, verdict, deadline, now, zone)


def _card(
    event: OlympiadEvent,
    row: Any,
    facts: EventFacts,
    student: StudentFacts,
    own: OwnRegistration | None,
    verdict: Verdict,
    deadline: dt.datetime,
    now: dt.datetime,
    zone: str,
) -> EventCard:
    return EventCard(
        event_id=event.id,
        subject=row[1],
        level=facts.level,
        status=facts.status,
        held_on=facts.held_on,
        grade_bands=grade_bands(event),
        grade_min=event.grade_min,
        grade_max=event.grade_max,
        place=event.place,
        max_score=event.max_score,
        registered_count=int(row[2]),
        deadline=deadline,
        time_left=time_left(deadline, now),
        own=own,
        verdict=verdict,
        zone=zone,
        school_zone=student.zone,
    )
