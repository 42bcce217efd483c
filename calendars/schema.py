"""The calendar file format: dated steps, who answers for them and whom they concern.

A calendar (the olympiad's deadlines, a data-collection schedule, ...) is one YAML file. Its
`tracks` are the parallel schedules it holds (the olympiad's school, municipal and regional
stages); each step of a track is dated either by an offset in days from the track's anchor date
(D, the day the stage is held) or by a day of the school year, at a wall time (or by the end of
that day) read in the place's own zone, in Moscow time or in a named zone.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from calendars.consent_rule import ConsentRule
from calendars.fields import TimeZone

MOSCOW_TZ = "Europe/Moscow"
LOCAL = "local"
MOSCOW = "moscow"
AUGUST = 8


class Audience(StrEnum):
    """Whom a step concerns, by the person's relation to the thing the calendar dates."""

    STUDENT = "student"  # eligible and registered students of the event
    PARENT = "parent"  # parents of those students
    CURATOR = "curator"  # the responsible person of each school concerned
    ORGANISER = "organiser"  # the coordinator who organises the event
    SUPERVISOR = "supervisor"  # the coordinator one level above the organiser
    # Responsibility levels of the schools' data calendars (seeds 001–004):
    SCHOOL = "school"  # ОО: the school's responsible person (data operator)
    EXAM_POINT = "exam_point"  # ОО-ППЭ: the responsible person of a school hosting an exam point
    MUNICIPAL_OFFICE = "municipal_office"  # МОУО: the municipal education office
    REGIONAL_CENTRE = "regional_centre"  # РЦОИ: the regional data processing centre


class StepKind(StrEnum):
    DEADLINE = "deadline"  # something must be done by then
    CONTROL = "control"  # a supervisor checks that it was done


class MonthDay(BaseModel):
    """A day of the school year, e.g. "09-01": months Aug–Dec fall in its first calendar year."""

    model_config = ConfigDict(frozen=True)
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    def in_school_year(self, school_year: int) -> dt.date:
        year = school_year if self.month >= AUGUST else school_year + 1
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


ZoneRule = Literal["local", "moscow"] | TimeZone


class WorkingDays(Protocol):
    """The production calendar, as far as dating a step needs it (calendars/workdays.py)."""

    def add_working_days(self, day: dt.date, count: int) -> dt.date: ...


Title = dict[Literal["ru", "en"], Annotated[str, Field(min_length=1, max_length=300)]]


class StepRule(BaseModel):
    """One dated step: by an offset from the track's anchor date, or on a day of the year."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
    kind: StepKind
    # What people read; the olympiad's step names are translated in locales/ instead.
    title: Title | None = None
    offset_days: int | None = Field(default=None, ge=-120, le=120)
    # Counted in working days of the production calendar (data/reference/production_calendar.yaml).
    offset_working_days: int | None = Field(default=None, ge=-60, le=60)
    # The track's date `offset_days` counts from; None: the track's first anchor.
    anchor: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9_]{0,15}$")] | None = None
    on: MonthDay | None = None
    # Wall time of the step; None means the end of that day (the step is due before midnight).
    time: dt.time | None = None
    zone: ZoneRule = LOCAL
    responsible: Audience
    audience: tuple[Audience, ...] = Field(min_length=1)
    # The responsible person uploads a signed verification form to mark the step done.
    signed_form: bool = False

    @model_validator(mode="after")
    def _one_date(self) -> StepRule:
        given = [self.offset_days, self.offset_working_days, self.on]
        if sum(value is not None for value in given) != 1:
            raise ValueError("a step needs exactly one of offset_days, offset_working_days and on")
        return self

    @property
    def zone_name(self) -> str | None:
        """The fixed zone the rule is read in; None: the place's own zone."""
        if self.zone == LOCAL:
            return None
        return MOSCOW_TZ if self.zone == MOSCOW else self.zone

    def day(
        self,
        anchors: Mapping[str, dt.date],
        school_year: int,
        workdays: WorkingDays | None = None,
    ) -> dt.date:
        if self.on is not None:
            return self.on.in_school_year(school_year)
        assert self.anchor is not None  # the track names it (`Track._known_anchors`)
        if self.offset_working_days is not None:
            if workdays is None:
                raise ValueError(f"step {self.code} counts working days: pass the calendar")
            return workdays.add_working_days(anchors[self.anchor], self.offset_working_days)
        assert self.offset_days is not None  # the validator allows one of the three
        return anchors[self.anchor] + dt.timedelta(days=self.offset_days)


class CreationRule(BaseModel):
    """When the organiser must have created the track's events, and when that is checked."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    due: MonthDay
    control: MonthDay


class Track(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    creation: CreationRule | None = None
    # The dates a thing of this track is given (the olympiad: D; ВПР: the work's date W and
    # the results' upload date U); steps count their `offset_days` from one of them.
    anchors: tuple[str, ...] = Field(default=("D",), min_length=1)
    steps: tuple[StepRule, ...]

    @model_validator(mode="after")
    def _known_anchors(self) -> Track:
        steps = tuple(
            s if s.anchor else s.model_copy(update={"anchor": self.anchors[0]}) for s in self.steps
        )
        unknown = sorted({str(s.anchor) for s in steps} - set(self.anchors))
        if unknown:
            raise ValueError(f"steps count from anchors the track does not name: {unknown}")
        object.__setattr__(self, "steps", steps)  # frozen: every step now names its anchor
        return self

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

    def latest_offset(self) -> int:
        offsets = [s.offset_days for s in self.steps if s.offset_days is not None]
        return max(offsets, default=0)


class Calendar(BaseModel):
    """One calendar file; `tracks` are keyed by the code of what they date (a stage level)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: Literal[2] = 2
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")]
    title: Title | None = None
    # The school year the file's `on` dates were written for; None: they recur every year.
    school_year: int | None = Field(default=None, ge=2000, le=2100)
    tracks: dict[str, Track] = Field(min_length=1)
    # When a parent's consent is due for a student (the olympiad's calendar only).
    consent: ConsentRule | None = None
    # The production calendar steps counted in working days read (`with_workdays`).
    _workdays: Any = PrivateAttr(default=None)

    def title_in(self, locale: str) -> str:
        """The title in `locale` (the Russian one where there is none), else the code."""
        names = self.title or {}
        return names.get("en" if locale == "en" else "ru") or names.get("ru") or self.code

    def short_title_in(self, locale: str) -> str:
        """ "Паспорт школы" of "Паспорт школы: график внесения информации (Томская область)"."""
        return self.title_in(locale).split(":", 1)[0]

    def with_workdays(self, workdays: WorkingDays) -> Calendar:
        """This calendar, reading working days in `workdays`."""
        found = self.model_copy()
        found._workdays = workdays
        return found

    @property
    def workdays(self) -> WorkingDays | None:
        found: WorkingDays | None = self._workdays
        return found

    @model_validator(mode="after")
    def _consent_track(self) -> Calendar:
        if self.consent is not None and self.consent.track not in self.tracks:
            raise ValueError(f"consent counts from track {self.consent.track}, which is not here")
        return self

    def track(self, code: str) -> Track:
        return self.tracks[code]

    def require(self, tracks: Sequence[str], step: str | None = None) -> list[str]:
        """Problems if the calendar lacks one of `tracks` or a track lacks the `step`."""
        missing = [code for code in tracks if code not in self.tracks]
        problems = [f"tracks missing: {', '.join(missing)}"] if missing else []
        if step is not None:
            problems += [
                f"track {code} has no {step} step"
                for code, track in self.tracks.items()
                if all(s.code != step for s in track.steps)
            ]
        return problems


REGISTRATION_CLOSES = "registration_closes"
