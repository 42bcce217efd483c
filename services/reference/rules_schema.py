"""The deadline rules of the olympiad as data (validated on load; deployments edit the YAML)."""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.enums import Level

MOSCOW_TZ = "Europe/Moscow"


class Audience(StrEnum):
    STUDENT = "student"  # eligible and registered students of the event
    PARENT = "parent"  # parents of those students
    CURATOR = "curator"  # curators of the schools concerned
    ORGANISER = "organiser"  # the coordinator who organises the event
    SUPERVISOR = "supervisor"  # the coordinator one level above the organiser


class StepKind(StrEnum):
    DEADLINE = "deadline"
    CONTROL = "control"


class MonthDay(BaseModel):
    """A day of the school year, e.g. "09-01": months Aug–Dec fall in its first calendar year."""

    model_config = ConfigDict(frozen=True)
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    def in_school_year(self, school_year: int) -> dt.date:
        year = school_year if self.month >= 8 else school_year + 1  # noqa: PLR2004 - August
        if (self.month, self.day) == (2, 29) and not calendar.isleap(year):
            # "By 29 February" means the end of February; most years have no 29th.
            return dt.date(year, 2, 28)
        return dt.date(year, self.month, self.day)

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: object) -> object:
        if isinstance(value, str):
            month, sep, day = value.partition("-")
            if not sep or not month.isdigit() or not day.isdigit():
                raise ValueError(f"expected MM-DD, got {value!r}")
            return {"month": int(month), "day": int(day)}
        return value

    @model_validator(mode="after")
    def _real_day(self) -> MonthDay:
        dt.date(2024, self.month, self.day)  # a leap year admits 02-29
        return self


class StepRule(BaseModel):
    """A dated step relative to D, the day the stage is held for the subject."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
    kind: StepKind
    offset_days: int = Field(ge=-120, le=120)
    # Wall time of the step; None means the end of that day (the step is due before midnight).
    time: dt.time | None = None
    zone: Literal["local", "moscow"] = "local"
    responsible: Audience
    audience: tuple[Audience, ...] = Field(min_length=1)


class CreationRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    due: MonthDay
    control: MonthDay


class LevelRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    creation: CreationRule
    steps: tuple[StepRule, ...]

    @field_validator("steps")
    @classmethod
    def _unique_codes(cls, steps: tuple[StepRule, ...]) -> tuple[StepRule, ...]:
        codes = [s.code for s in steps]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"step codes repeat: {', '.join(dupes)}")
        return steps

    def step(self, code: str) -> StepRule:
        for candidate in self.steps:
            if candidate.code == code:
                return candidate
        raise KeyError(code)


class DeadlineRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: Literal[1] = 1
    levels: dict[Level, LevelRules]

    @model_validator(mode="after")
    def _all_levels(self) -> DeadlineRules:
        missing = [lv.value for lv in Level if lv not in self.levels]
        if missing:
            raise ValueError(f"rules missing for levels: {', '.join(missing)}")
        for level, rules in self.levels.items():
            if not any(s.code == REGISTRATION_CLOSES for s in rules.steps):
                raise ValueError(f"level {level.value} has no {REGISTRATION_CLOSES} step")
        return self


REGISTRATION_CLOSES = "registration_closes"
