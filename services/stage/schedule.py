"""Checking an uploaded stage schedule row by row; nothing is written until the preview is
confirmed (services/stage_create.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.olympiad import OlympiadEvent, Subject
from services.authz import Action, authorize
from services.errors import Refused
from services.people.identity import Identity
from services.reference.reference_data import ReferenceData
from services.stage.file import band_values, read_schedule
from services.stage.scope import Target
from services.stage.values import (
    check_grades,
    check_in_year,
    check_not_past,
    check_scores,
    grade_label,
    parse_date,
    parse_grade_dates,
    parse_grades,
    parse_place,
    parse_score,
)
from services.stage.window import closed_registrations
from services.tabular.table import Row


@dataclass(frozen=True)
class PlannedEvent:
    """A valid row, ready to become an event; kept as JSON in the flow until confirmed."""

    row: int
    subject_id: int
    subject_code: str
    held_on: dt.date
    grade_dates: dict[str, str] | None
    grade_min: int
    grade_max: int
    place: str
    max_score: float | None
    passing_score: float | None

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "held_on": self.held_on.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlannedEvent:
        return cls(**{**data, "held_on": dt.date.fromisoformat(data["held_on"])})


@dataclass(frozen=True)
class RowError:
    row: int
    problem: Refused


@dataclass(frozen=True)
class SchedulePreview:
    school_year: int
    events: list[PlannedEvent]
    errors: list[RowError]
    skipped: int = 0  # template rows left as they were: a subject (and grades), no date
    # Rows dated so soon that registration would already be closed: row → when it closed.
    closed: dict[int, dt.datetime] = field(default_factory=dict)


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


class _Checker:
    def __init__(
        self,
        subjects: list[Subject],
        existing: dict[int, int],
        ref: ReferenceData,
        target: Target,
        school_year: int,
        today: dt.date | None = None,
    ) -> None:
        self.by_name: dict[str, Subject] = {}
        for subject in subjects:
            for name in (subject.code, subject.name_ru, subject.name_en):
                self.by_name[_normal(name)] = subject
        self.existing = existing
        self.ref = ref
        self.target = target
        self.year = school_year
        self.today = today
        self.seen: dict[int, int] = {}

    def check(self, row: Row) -> PlannedEvent:
        values = row.values
        if not values["subject"]:
            raise Refused("stage_no_subject")
        subject = self.by_name.get(_normal(values["subject"]))
        if subject is None:
            raise Refused("stage_unknown_subject", value=values["subject"][:60])
        if subject.id in self.seen:
            raise Refused("stage_duplicate_row", row=self.seen[subject.id])
        if subject.id in self.existing:
            raise Refused(
                "stage_event_exists", subject=subject.name_ru, id=self.existing[subject.id]
            )
        allowed = self.ref.grades_for(subject.code, self.target.level)
        bounds = (allowed.grade_min, allowed.grade_max)
        grades = parse_grades(values["grades"]) if values["grades"] else bounds
        check_grades(grades, bounds)
        held_on, grade_dates = self._dates(values, grades)
        max_score = parse_score(values["max_score"])
        passing = parse_score(values["passing_score"])
        check_scores(max_score, passing)
        self.seen[subject.id] = row.number
        return PlannedEvent(
            row.number,
            subject.id,
            subject.code,
            held_on,
            grade_dates,
            grades[0],
            grades[1],
            parse_place(values["place"]),
            max_score,
            passing,
        )

    def _dates(
        self, values: dict[str, str], grades: tuple[int, int]
    ) -> tuple[dt.date, dict[str, str] | None]:
        per_grade: dict[int, dt.date] = {}
        if values["grade_dates"]:
            per_grade.update(parse_grade_dates(values["grade_dates"]))
        for (low, high), text in band_values(values):
            day = parse_date(text)
            per_grade.update({grade: day for grade in range(low, high + 1)})
        return plan_dates(values["date"], per_grade, grades, self.year, self.today)


# What the template leaves for the coordinator to fill in; the subject and grades come pre-filled.
_FILLED_IN = ("date", "grade_dates", "place", "passing_score", "max_score")


def untouched(row: Row) -> bool:
    """A pre-filled template row nobody filled in: no date, per-grade date, place or score."""
    values = row.values
    return not any(values.get(key) for key in _FILLED_IN) and not band_values(values)


def plan_dates(
    date_text: str,
    per_grade: dict[int, dt.date],
    grades: tuple[int, int],
    school_year: int,
    today: dt.date | None = None,
) -> tuple[dt.date, dict[str, str] | None]:
    """D of the event and the dates of the grades that sit on other days.

    With `today` (the organiser's local date), a day before it is refused."""
    outside = sorted(g for g in per_grade if not grades[0] <= g <= grades[1])
    if outside:
        raise Refused("stage_band_outside_grades", grades=", ".join(map(str, outside)))
    uncovered = [g for g in range(grades[0], grades[1] + 1) if g not in per_grade]
    if not date_text and (not per_grade or uncovered):
        raise Refused("stage_no_date", grades=grade_label(*grades))
    # The earliest day counts as D when only per-grade dates are given (registration closes
    # before the first sitting).
    held_on = parse_date(date_text) if date_text else min(per_grade.values())
    for day in (held_on, *per_grade.values()):
        check_in_year(day, school_year)
        check_not_past(day, today)
    other_days = {str(g): d.isoformat() for g, d in sorted(per_grade.items()) if d != held_on}
    return held_on, other_days or None


async def preview_schedule(
    session: AsyncSession,
    ident: Identity,
    target: Target,
    filename: str,
    content: bytes,
    *,
    ref: ReferenceData,
    now: dt.datetime,
) -> SchedulePreview:
    """Every row checked; a problem with the file as a whole is raised as `Refused`."""
    authorize(ident, Action.CREATE_STAGE, target.scope, target.level)
    table = read_schedule(filename, content)
    year = target.school_year(now)
    subjects = list((await session.scalars(select(Subject))).all())
    existing = await session.execute(
        select(OlympiadEvent.subject_id, OlympiadEvent.id).where(
            OlympiadEvent.level == target.level,
            OlympiadEvent.scope_key == target.scope_key,
            OlympiadEvent.school_year == year,
        )
    )
    today = now.astimezone(ZoneInfo(target.zone)).date()
    checker = _Checker(subjects, {sid: eid for sid, eid in existing}, ref, target, year, today)
    events: list[PlannedEvent] = []
    errors: list[RowError] = []
    skipped = 0
    for row in table.rows:
        if untouched(row):
            skipped += 1
            continue
        try:
            events.append(checker.check(row))
        except Refused as problem:
            errors.append(RowError(row.number, problem))
    closed = closed_registrations(events, target.level, target.zone, ref.rules, now)
    return SchedulePreview(year, events, errors, skipped, closed)
