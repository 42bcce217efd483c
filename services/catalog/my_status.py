"""A student's registrations with their state and, once published, their results (one query)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import EventStatus, Level, Placement, RegistrationState
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.catalog.scope import subject_name
from services.registration.window import held_on_for

PAGE_SIZE = 10


@dataclass(frozen=True)
class StatusRow:
    event_id: int
    subject: str
    level: Level
    school_year: int
    held_on: dt.date
    event_status: EventStatus
    state: RegistrationState
    published: bool
    score: float | None  # None until the organiser publishes the results
    max_score: float | None
    placement: Placement | None
    passed: bool | None  # reached the passing score for the next stage (published results)


@dataclass(frozen=True)
class StatusPage:
    rows: tuple[StatusRow, ...]
    page: int
    pages: int
    total: int


def passing_score_for(
    grade: int, passing_score: float | None, passing_scores: dict[str, float] | None
) -> float | None:
    if passing_scores and str(grade) in passing_scores:
        return float(passing_scores[str(grade)])
    return passing_score


def _row(row: Any, now: dt.datetime) -> StatusRow:
    published = row.results_published_at is not None and row.results_published_at <= now
    threshold = passing_score_for(row.grade, row.passing_score, row.passing_scores)
    score = row.score if published else None
    return StatusRow(
        event_id=row.id,
        subject=row.subject,
        level=Level(row.level),
        school_year=row.school_year,
        held_on=held_on_for(row.grade, row.held_on, row.grade_dates),
        event_status=EventStatus(row.status),
        state=RegistrationState(row.state),
        published=published,
        score=score,
        max_score=row.max_score,
        placement=Placement(row.placement) if published and row.placement else None,
        passed=None if score is None or threshold is None else score >= threshold,
    )


def _statement(student: User, locale: str) -> Select[Any]:
    return (
        select(
            OlympiadEvent.id,
            subject_name(locale).label("subject"),
            OlympiadEvent.level,
            OlympiadEvent.school_year,
            OlympiadEvent.held_on,
            OlympiadEvent.grade_dates,
            OlympiadEvent.status,
            OlympiadEvent.max_score,
            OlympiadEvent.passing_score,
            OlympiadEvent.passing_scores,
            OlympiadEvent.results_published_at,
            Registration.state,
            Registration.grade,
            Registration.score,
            Registration.placement,
            func.count().over().label("total"),
        )
        .join(OlympiadEvent, OlympiadEvent.id == Registration.event_id)
        .join(Subject, Subject.id == OlympiadEvent.subject_id)
        .where(Registration.student_id == student.id)
        .order_by(
            OlympiadEvent.school_year.desc(),
            OlympiadEvent.held_on,
            Subject.sort_order,
            OlympiadEvent.id,
        )
    )


async def status_page(
    session: AsyncSession,
    student: User,
    now: dt.datetime,
    locale: str,
    page: int = 0,
    size: int = PAGE_SIZE,
) -> StatusPage:
    """Newest school year first, then by date; a page past the end (stale) shows the first."""
    page = max(page, 0)
    statement = _statement(student, locale)
    rows = (await session.execute(statement.limit(size).offset(page * size))).all()
    if not rows and page > 0:
        page = 0
        rows = (await session.execute(statement.limit(size))).all()
    total = int(rows[0].total) if rows else 0
    return StatusPage(
        tuple(_row(row, now) for row in rows), page, max(1, -(-total // size)), total
    )
