"""The shape of the reference files: subjects, levels, regions and a deployment's geography."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from calendars.fields import (
    Grade,
    LocalCode,
    RegionCode,
    Row,
    SubjectCode,
    TimeZone,
    check_grades,
    refuse,
    repeats,
    text,
)
from models.enums import Level


class GradeRange(Row):
    grade_min: Grade
    grade_max: Grade

    @model_validator(mode="after")
    def _ordered(self) -> GradeRange:
        check_grades(self.grade_min, self.grade_max)
        return self

    def __contains__(self, grade: object) -> bool:
        return isinstance(grade, int) and self.grade_min <= grade <= self.grade_max


class SubjectRow(Row):
    code: SubjectCode
    name_ru: Annotated[str, text(100)]
    name_en: Annotated[str, text(100)]
    sort_order: int = Field(ge=0)
    # Levels where the subject admits other grades than the level's default range.
    grades: dict[Level, GradeRange] = Field(default_factory=dict)


class LevelRow(Row):
    code: Level
    name_ru: Annotated[str, text(100)]
    name_en: Annotated[str, text(100)]
    grade_min: Grade
    grade_max: Grade
    sort_order: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> LevelRow:
        check_grades(self.grade_min, self.grade_max)
        return self

    @property
    def grades(self) -> GradeRange:
        return GradeRange(grade_min=self.grade_min, grade_max=self.grade_max)


class RegionRow(Row):
    code: RegionCode
    name_ru: Annotated[str, text(200)]
    name_en: Annotated[str, text(200)]
    timezone: TimeZone


class SubjectsFile(Row):
    subjects: tuple[SubjectRow, ...] = Field(min_length=1)

    @field_validator("subjects")
    @classmethod
    def _unique(cls, rows: tuple[SubjectRow, ...]) -> tuple[SubjectRow, ...]:
        refuse(repeats(r.code for r in rows))
        return rows


class LevelsFile(Row):
    levels: tuple[LevelRow, ...]

    @field_validator("levels")
    @classmethod
    def _every_level_once(cls, rows: tuple[LevelRow, ...]) -> tuple[LevelRow, ...]:
        problems = repeats(r.code.value for r in rows)
        missing = [lv.value for lv in Level if lv not in {r.code for r in rows}]
        if missing:
            problems.append(f"levels missing: {', '.join(missing)}")
        refuse(problems)
        return rows


class RegionsFile(Row):
    regions: tuple[RegionRow, ...] = Field(min_length=1)

    @field_validator("regions")
    @classmethod
    def _unique(cls, rows: tuple[RegionRow, ...]) -> tuple[RegionRow, ...]:
        refuse(repeats(r.code for r in rows))
        return rows


class SchoolRow(Row):
    code: LocalCode
    name: Annotated[str, text(300)]
    # Only where the school keeps other hours than its region.
    timezone: TimeZone | None = None


class MunicipalityRow(Row):
    code: LocalCode
    name: Annotated[str, text(300)]
    schools: tuple[SchoolRow, ...] = ()

    @field_validator("schools")
    @classmethod
    def _unique(cls, rows: tuple[SchoolRow, ...]) -> tuple[SchoolRow, ...]:
        refuse(repeats(r.code for r in rows))
        return rows


class GeographyFile(Row):
    """A deployment's own municipalities and schools, by region code."""

    regions: dict[RegionCode, tuple[MunicipalityRow, ...]] = Field(min_length=1)

    @field_validator("regions", mode="before")
    @classmethod
    def _codes_differ_as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            texts = [str(k) for k in value]
            refuse(
                [
                    f'region "{k}" is written twice'
                    for k in sorted(set(texts))
                    if texts.count(k) > 1
                ]
            )
        return value

    @field_validator("regions")
    @classmethod
    def _unique(
        cls, value: dict[str, tuple[MunicipalityRow, ...]]
    ) -> dict[str, tuple[MunicipalityRow, ...]]:
        refuse(
            [
                f'region "{region}": {problem}'
                for region, rows in value.items()
                for problem in repeats(r.code for r in rows)
            ]
        )
        return value
