"""Who may register for an event, and until when (pure: facts and `now` in, a verdict out).

Every refusal has its own reason code so that the person is told exactly what stands in the way;
the checks run in a fixed order, so one situation always gives the same answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from calendars.schema import Calendar
from models.enums import EventStatus, Level, RegistrationState
from services.rules.deadlines import registration_deadline

NO_SCHOOL = "reg_no_school"
NO_GRADE = "reg_no_grade"
FORMED_BY_ORGANISER = "reg_formed_by_organiser"
NOT_OPEN_YET = "reg_not_open_yet"
EVENT_CANCELLED = "reg_event_cancelled"
STATUS_CLOSED = "reg_status_closed"
DEADLINE_PASSED = "reg_deadline_passed"
OUT_OF_SCOPE = "reg_out_of_scope"
GRADE_NOT_ADMITTED = "reg_grade_not_admitted"
ALREADY_REGISTERED = "reg_already"
NOT_REGISTERED = "reg_not_registered"
UNREG_DEADLINE_PASSED = "unreg_deadline_passed"
UNREG_AFTER_START = "unreg_state"


@dataclass(frozen=True)
class EventFacts:
    level: Level
    status: EventStatus
    grade_min: int
    grade_max: int
    region_id: int
    municipality_id: int | None  # None: organised by the region
    held_on: dt.date  # the day the student's grade sits the stage


@dataclass(frozen=True)
class StudentFacts:
    grade: int | None
    school_id: int | None
    municipality_id: int | None
    region_id: int | None
    zone: str  # the school's zone: the deadline is read on its clock


@dataclass(frozen=True)
class Eligible:
    deadline: dt.datetime

    @property
    def ok(self) -> bool:
        return True


@dataclass(frozen=True)
class Ineligible:
    reason: str
    deadline: dt.datetime | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return False


Verdict = Eligible | Ineligible


def in_scope(event: EventFacts, student: StudentFacts) -> bool:
    """The school lies inside the organiser's scope: its municipality, or its whole region."""
    if event.municipality_id is not None:
        return student.municipality_id == event.municipality_id
    return student.region_id == event.region_id


def _status_reason(status: EventStatus) -> str | None:
    if status == EventStatus.REGISTRATION:
        return None
    if status == EventStatus.DRAFT:
        return NOT_OPEN_YET
    if status == EventStatus.CANCELLED:
        return EVENT_CANCELLED
    return STATUS_CLOSED


def _window(event: EventFacts, student: StudentFacts, rules: Calendar) -> dt.datetime:
    return registration_deadline(event.level, event.held_on, student.zone, rules)


def _registration_problems(
    event: EventFacts,
    student: StudentFacts,
    deadline: dt.datetime,
    now: dt.datetime,
    self_service: bool,
) -> Iterator[Ineligible]:
    """Every reason that stands in the way, in the order a person should hear them."""
    if student.school_id is None:
        yield Ineligible(NO_SCHOOL)
    if student.grade is None:
        yield Ineligible(NO_GRADE)
        return
    if self_service and event.level != Level.SCHOOL:
        yield Ineligible(FORMED_BY_ORGANISER, deadline)
    status_reason = _status_reason(event.status)
    if status_reason is not None:
        yield Ineligible(status_reason, deadline, {"status": event.status})
    if now >= deadline:
        yield Ineligible(DEADLINE_PASSED, deadline, {"deadline": deadline})
    if not in_scope(event, student):
        yield Ineligible(OUT_OF_SCOPE, deadline)
    if not event.grade_min <= student.grade <= event.grade_max:
        details = {"grade": student.grade, "min": event.grade_min, "max": event.grade_max}
        yield Ineligible(GRADE_NOT_ADMITTED, deadline, details)


def registration_check(
    event: EventFacts,
    student: StudentFacts,
    rules: Calendar,
    now: dt.datetime,
    *,
    self_service: bool = True,
) -> Verdict:
    """May the student be registered now? Students and parents sign up for the school stage
    only; staff registrations (`self_service=False`) get the level checked by authorisation."""
    deadline = _window(event, student, rules)
    problems = _registration_problems(event, student, deadline, now, self_service)
    return next(problems, Eligible(deadline))


def unregistration_check(
    event: EventFacts,
    student: StudentFacts,
    state: RegistrationState | None,
    rules: Calendar,
    now: dt.datetime,
    *,
    self_service: bool = True,
) -> Verdict:
    """May the registration be withdrawn now? Only while registration is still open."""
    if state is None:
        return Ineligible(NOT_REGISTERED)
    deadline = _window(event, student, rules)
    if self_service and event.level != Level.SCHOOL:
        return Ineligible(FORMED_BY_ORGANISER, deadline)
    if state != RegistrationState.REGISTERED:
        return Ineligible(UNREG_AFTER_START, deadline)
    status_reason = _status_reason(event.status)
    if status_reason is not None:
        return Ineligible(status_reason, deadline, {"status": event.status})
    if now >= deadline:
        return Ineligible(UNREG_DEADLINE_PASSED, deadline, {"deadline": deadline})
    return Eligible(deadline)
