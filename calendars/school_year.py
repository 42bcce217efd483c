"""The school year a date belongs to."""

from __future__ import annotations

import datetime as dt

SCHOOL_YEAR_FIRST_MONTH = 9


def school_year_of(day: dt.date) -> int:
    """The calendar year the date's school year starts in: 2027-03-10 → 2026 (2026/27).

    The school year starts on 1 September, so August still closes the previous year. Yearly
    schedules written as month-day (`MonthDay.in_school_year`) place August steps before the
    year instead, because in the seeds August holds the preparation for the coming year.
    """
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


def school_year_label(school_year: int) -> str:
    """The usual Russian spelling of a school year: 2026 → "2026/27"."""
    return f"{school_year}/{(school_year + 1) % 100:02d}"
