"""What the next-stage list is made from, each read in one query.

`Target` names the list: the stage being formed, the organiser's region or municipality, and
the school year. The previous stage's events are those the same scope organised (the school
stage of a municipality; the municipal stages of all municipalities of a region).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.admission import PriorAward
from models.enums import EventStatus, Level, Placement
from models.olympiad import OlympiadEvent, Registration, scope_key_for
from models.people import User
from services.rules.admission import Candidate, Source, grade_now, previous_level
from services.rules.scores import passing_for
from services.scopes import Scope


@dataclass(frozen=True)
class Target:
    level: Level
    scope: Scope
    school_year: int

    @property
    def scope_key(self) -> str:
        assert self.scope.region_id is not None
        return scope_key_for(self.scope.region_id, self.scope.municipality_id)


@dataclass(frozen=True)
class Person:
    name: str
    school_id: int | None


@dataclass(frozen=True)
class Found:
    candidate: Candidate
    person: Person
    published: bool = True


@dataclass(frozen=True)
class Slot:
    event_id: int
    grade_min: int
    grade_max: int


def _in_scope(target: Target) -> ColumnElement[bool]:
    if target.scope.municipality_id is not None:
        return OlympiadEvent.municipality_id == target.scope.municipality_id
    return OlympiadEvent.region_id == target.scope.region_id


async def previous_results(session: AsyncSession, target: Target) -> list[Found]:
    """Every scored participant of this year's previous stage, with their passing score."""
    rows = await session.execute(
        select(
            Registration.student_id,
            OlympiadEvent.subject_id,
            Registration.grade,
            Registration.score,
            OlympiadEvent.passing_score,
            OlympiadEvent.passing_scores,
            OlympiadEvent.results_published_at,
            User.full_name,
            User.school_id,
        )
        .join(OlympiadEvent, Registration.event_id == OlympiadEvent.id)
        .join(User, Registration.student_id == User.id)
        .where(
            OlympiadEvent.level == previous_level(target.level),
            OlympiadEvent.school_year == target.school_year,
            OlympiadEvent.status != EventStatus.CANCELLED,
            Registration.score.is_not(None),
            _in_scope(target),
        )
    )
    return [
        Found(
            Candidate(r[0], r[1], r[2], Source.SCORE, r[3], passing_for(r[4], r[5], r[2])),
            Person(r[7], r[8]),
            published=r[6] is not None,
        )
        for r in rows.all()
    ]


async def previous_published(session: AsyncSession, target: Target) -> list[OlympiadEvent]:
    """This year's previous-stage events of the scope whose results are published."""
    rows = await session.scalars(
        select(OlympiadEvent).where(
            OlympiadEvent.level == previous_level(target.level),
            OlympiadEvent.school_year == target.school_year,
            OlympiadEvent.status != EventStatus.CANCELLED,
            OlympiadEvent.results_published_at.is_not(None),
            _in_scope(target),
        )
    )
    return list(rows)


def _award(row: Any) -> Found:
    student_id, subject_id, grade_then, current_grade, name, school_id = row
    grade = current_grade if current_grade is not None else grade_now(grade_then)
    return Found(Candidate(student_id, subject_id, grade, Source.AWARD), Person(name, school_id))


async def last_year_awards(session: AsyncSession, target: Target) -> list[Found]:
    """Last year's winners and prize-winners of the same stage: imported, and in the bot."""
    imported = await session.execute(
        select(
            PriorAward.student_id,
            PriorAward.subject_id,
            PriorAward.grade,
            User.grade,
            User.full_name,
            User.school_id,
        )
        .join(User, PriorAward.student_id == User.id)
        .where(
            PriorAward.level == target.level,
            PriorAward.school_year == target.school_year - 1,
            PriorAward.scope_key == target.scope_key,
        )
    )
    recorded = await session.execute(
        select(
            Registration.student_id,
            OlympiadEvent.subject_id,
            Registration.grade,
            User.grade,
            User.full_name,
            User.school_id,
        )
        .join(OlympiadEvent, Registration.event_id == OlympiadEvent.id)
        .join(User, Registration.student_id == User.id)
        .where(
            OlympiadEvent.level == target.level,
            OlympiadEvent.school_year == target.school_year - 1,
            OlympiadEvent.results_published_at.is_not(None),
            Registration.placement.in_((Placement.WINNER, Placement.PRIZE)),
            _in_scope(target),
        )
    )
    return [_award(row) for row in [*imported.all(), *recorded.all()]]


async def next_stage_events(session: AsyncSession, target: Target) -> dict[int, Slot]:
    """The events the list fills, by subject."""
    rows = await session.execute(
        select(
            OlympiadEvent.subject_id,
            OlympiadEvent.id,
            OlympiadEvent.grade_min,
            OlympiadEvent.grade_max,
        ).where(
            OlympiadEvent.level == target.level,
            OlympiadEvent.scope_key == target.scope_key,
            OlympiadEvent.school_year == target.school_year,
            OlympiadEvent.status != EventStatus.CANCELLED,
        )
    )
    return {subject_id: Slot(event_id, low, high) for subject_id, event_id, low, high in rows}


async def already_registered(session: AsyncSession, event_ids: list[int]) -> set[tuple[int, int]]:
    if not event_ids:
        return set()
    rows = await session.execute(
        select(Registration.event_id, Registration.student_id).where(
            Registration.event_id.in_(event_ids)
        )
    )
    return {(event_id, student_id) for event_id, student_id in rows}
