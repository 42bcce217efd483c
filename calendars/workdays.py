"""Working days of the Russian production calendar (pure): the file format, its loader, and
counting working days forwards and backwards from a date.

A day is a working day unless it is a Saturday, a Sunday, a public holiday of art. 112 of the
Labour Code, or a weekday the year's decree made a day off; a weekend day the decree made a
working day is one. A year the file does not list is read by the law alone: holidays, and a
holiday that falls on a weekend moves the day off to the next working day (art. 112 part 2;
the January holidays excepted, their moves are the decree's to make).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from calendars.loader import load_yaml_file
from calendars.schema import MonthDay

SATURDAY = 5
JANUARY = 1
MAX_SPAN = 400  # working days an offset may count; a year has about 247
# Art. 112 of the Labour Code: the public holidays, when no production calendar file is loaded.
STATUTORY_HOLIDAYS = ("01-01", "01-02", "01-03", "01-04", "01-05", "01-06", "01-07", "01-08",
                      "02-23", "03-08", "05-01", "05-09", "06-12", "11-04")  # fmt: skip


class YearMoves(BaseModel):
    """One year's decree: weekdays that are days off, weekend days that are working days."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    decree: Annotated[str, Field(min_length=1, max_length=300)] | None
    confirmed: bool
    days_off: tuple[dt.date, ...] = ()
    working_days: tuple[dt.date, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> YearMoves:
        if self.confirmed and self.decree is None:
            raise ValueError("a confirmed year names its decree")
        both = sorted(set(self.days_off) & set(self.working_days))
        if both:
            raise ValueError(f"days both off and working: {', '.join(map(str, both))}")
        weekend_off = [d for d in self.days_off if d.weekday() >= SATURDAY]
        if weekend_off:
            raise ValueError(f"days_off are weekdays; these are weekends: {_days(weekend_off)}")
        weekday_work = [d for d in self.working_days if d.weekday() < SATURDAY]
        if weekday_work:
            raise ValueError(f"working_days are Saturdays or Sundays, not {_days(weekday_work)}")
        return self


def _days(days: list[dt.date]) -> str:
    return ", ".join(d.isoformat() for d in days)


class ProductionCalendar(BaseModel):
    """The file: the holidays of every year and each listed year's moves."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: Literal[1] = 1
    holidays: tuple[MonthDay, ...] = Field(min_length=1)
    years: dict[Annotated[int, Field(ge=2000, le=2100)], YearMoves] = Field(default_factory=dict)
    _by_year: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] = PrivateAttr(
        default_factory=dict
    )

    @model_validator(mode="after")
    def _years_match(self) -> ProductionCalendar:
        for year, moves in self.years.items():
            stray = [d for d in (*moves.days_off, *moves.working_days) if d.year != year]
            if stray:
                raise ValueError(f"year {year} lists days of another year: {_days(stray)}")
            holidays = [d for d in moves.days_off if self.is_holiday(d)]
            if holidays:
                raise ValueError(f"year {year}: days_off repeats holidays {_days(holidays)}")
        return self

    @classmethod
    def statutory(cls) -> ProductionCalendar:
        """The law alone: holidays and art. 112 part 2 moves, no decree for any year."""
        return cls.model_validate({"holidays": STATUTORY_HOLIDAYS})

    def is_holiday(self, day: dt.date) -> bool:
        return any(h.month == day.month and h.day == day.day for h in self.holidays)

    def confirmed(self, year: int) -> bool:
        """The year's moves come from its decree (not from the law alone)."""
        moves = self.years.get(year)
        return moves is not None and moves.confirmed

    def moves(self, year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
        """Days off and working days moved in the year: the file's, or the law's alone."""
        listed = self.years.get(year)
        if listed is not None:
            return frozenset(listed.days_off), frozenset(listed.working_days)
        return frozenset(self.statutory_moves(year)), frozenset()

    def statutory_moves(self, year: int) -> list[dt.date]:
        """Art. 112 part 2: a holiday on a weekend gives a day off on the next working day."""
        found: list[dt.date] = []
        for holiday in self.holidays:
            day = dt.date(year, holiday.month, holiday.day)
            if holiday.month == JANUARY or day.weekday() < SATURDAY:
                continue
            after = day + dt.timedelta(days=1)
            while after.weekday() >= SATURDAY or self.is_holiday(after) or after in found:
                after += dt.timedelta(days=1)
            found.append(after)
        return sorted(found)

    def is_working(self, day: dt.date) -> bool:
        days_off, working = self._moves_cached(day.year)
        if day in working:
            return True
        return not (day.weekday() >= SATURDAY or self.is_holiday(day) or day in days_off)

    def _moves_cached(self, year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
        found = self._by_year.get(year)
        if found is None:
            found = self._by_year[year] = self.moves(year)
        return found

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The working day `count` working days after `day` (before it when negative); 0 is
        `day` itself if it is a working day, else the working day before it."""
        if abs(count) > MAX_SPAN:
            raise ValueError(f"an offset of {count} working days is beyond {MAX_SPAN}")
        step = dt.timedelta(days=1 if count > 0 else -1)
        current = day
        if count == 0:
            while not self.is_working(current):
                current += step
            return current
        for _ in range(abs(count)):
            current += step
            while not self.is_working(current):
                current += step
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            self.is_working(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1)
        )


def load_production_calendar(path: Path) -> ProductionCalendar:
    """The production calendar file, or ReferenceDataError naming each problem's line."""
    return load_yaml_file(path, ProductionCalendar)
