"""The demo deployment: one region, one municipality, its schools, events dated from today."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from calendars.fields import (
    Grade,
    RegionCode,
    Row,
    SubjectCode,
    enumerate_words,
    refuse,
    repeats,
)
from models.enums import EventStatus, Level
from services.reference.reference_data import ReferenceData
from services.reference.schema import GradeRange, MunicipalityRow

# Days from today; a year either way is more than any demo needs.
DayOffset = Annotated[int, Field(ge=-366, le=366)]


class DemoEvent(Row):
    subject: SubjectCode
    level: Level
    held_in_days: DayOffset
    status: EventStatus = EventStatus.REGISTRATION
    # None: the subject's grades at that level, from the reference data.
    grades: GradeRange | None = None
    # Grades that sit on another day than held_in_days, which is the first day of the event.
    grade_days: dict[Grade, DayOffset] | None = None
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    max_score: float | None = Field(default=None, gt=0)
    passing_score: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> DemoEvent:
        problems = []
        early = sorted(g for g, day in (self.grade_days or {}).items() if day < self.held_in_days)
        if early:
            problems.append(
                f"grade_days: held_in_days ({self.held_in_days}) must be the first day, "
                f"but {_grades(early)} earlier"
            )
        if self.max_score is not None and (self.passing_score or 0) > self.max_score:
            problems.append(f"passing_score {self.passing_score} is above max_score")
        refuse(problems)
        return self


class DemoRegion(Row):
    # Names and time zone come from regions.yaml; the demo only picks the region.
    code: RegionCode


class DemoData(Row):
    region: DemoRegion
    municipality: MunicipalityRow
    events: tuple[DemoEvent, ...] = Field(min_length=1)

    @field_validator("events")
    @classmethod
    def _one_per_subject_and_level(cls, rows: tuple[DemoEvent, ...]) -> tuple[DemoEvent, ...]:
        refuse(repeats((f"{r.subject} {r.level.value}" for r in rows), "event"))
        return rows


def demo_problems(demo: DemoData, ref: ReferenceData, name: str = "demo.yaml") -> list[str]:
    """What the demo asks of the reference data that the reference data does not have."""
    problems = []
    if demo.region.code not in ref.region_codes:
        problems.append(f'{name}: region.code: "{demo.region.code}" is not in regions.yaml')
    for number, event in enumerate(demo.events, start=1):
        where = f'{name}: row {number} (subject "{event.subject}")'
        if event.subject not in ref.subject_codes:
            problems.append(f'{where}: subject: "{event.subject}" is not in subjects.yaml')
            continue
        grades = event.grades or ref.grades_for(event.subject, event.level)
        outside = sorted(g for g in event.grade_days or {} if g not in grades)
        if outside:
            problems.append(
                f"{where}: grade_days: {_grades(outside)} outside the admitted grades "
                f"{grades.grade_min}–{grades.grade_max}"
            )
    return problems


def _grades(grades: list[int]) -> str:
    """Like "grade 4 is" or "grades 4 and 5 are"."""
    if len(grades) == 1:
        return f"grade {grades[0]} is"
    return f"grades {enumerate_words(grades)} are"
