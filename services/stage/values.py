"""Values a coordinator types or puts in a schedule: dates, grade ranges, per-grade dates, scores.

Pure parsing: each function returns the value or raises `Refused` with a code the handler
layer words for people. The forms accepted are the ones Russian spreadsheets produce.
"""

from __future__ import annotations

import datetime as dt
import re

from calendars.school_year import school_year_label, school_year_of
from services.errors import Refused

MAX_PLACE = 300
_DASHES = re.compile(r"\s*[-–—]\s*")
_GRADE_WORDS = re.compile(r"(классы|класс|классов|кл\.?|grades?)", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DOTTED = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")
_BAND = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?$")
_BAND_HEADER = re.compile(r"^\s*(?:дата|date)\D*?(\d{1,2})(?:\s*[-–—]\s*(\d{1,2}))?\D*$", re.I)
_PAIR_SPLIT = re.compile(r"[;\n]+")
_PAIR = re.compile(r"^(.+?)\s*(?::|=|\s[-–—]\s)\s*(.+)$")


def show_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def grade_label(grade_min: int, grade_max: int) -> str:
    return str(grade_min) if grade_min == grade_max else f"{grade_min}–{grade_max}"


def parse_date(text: str) -> dt.date:
    value = text.strip()
    iso = _ISO.match(value)
    dotted = _DOTTED.match(value)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dotted:
            year = int(dotted[3])
            year = year + 2000 if year < 100 else year  # noqa: PLR2004 - a two-digit year
            return dt.date(year, int(dotted[2]), int(dotted[1]))
    except ValueError:
        pass
    raise Refused("stage_bad_date", value=value[:40])


def parse_grades(text: str) -> tuple[int, int]:
    """ "5-11", "5–11 классы", "9" or a run like "7, 8, 9"."""
    value = _GRADE_WORDS.sub("", text).strip().strip(".")
    value = _DASHES.sub("-", value)
    if "," in value:
        numbers = [p.strip() for p in value.split(",") if p.strip()]
        if all(n.isdigit() for n in numbers):
            grades = sorted(int(n) for n in numbers)
            if grades and grades == list(range(grades[0], grades[-1] + 1)):
                return _checked(grades[0], grades[-1], text)
        raise Refused("stage_bad_grades", value=text.strip()[:40])
    band = _BAND.match(value)
    if band is None:
        raise Refused("stage_bad_grades", value=text.strip()[:40])
    low = int(band[1])
    return _checked(low, int(band[2]) if band[2] else low, text)


def _checked(low: int, high: int, text: str) -> tuple[int, int]:
    if not 1 <= low <= high <= 11:  # noqa: PLR2004 - grades of a Russian school
        raise Refused("stage_bad_grades", value=text.strip()[:40])
    return low, high


def band_of_header(header: str) -> tuple[int, int] | None:
    """The grades of a per-grade date column such as «Дата 5-6 классы» or "Date grades 9-11"."""
    found = _BAND_HEADER.match(header)
    if found is None:
        return None
    low = int(found[1])
    high = int(found[2]) if found[2] else low
    return (low, high) if 1 <= low <= high <= 11 else None  # noqa: PLR2004


def parse_grade_dates(text: str) -> dict[int, dt.date]:
    """ "5-6: 01.10.2026; 7-11: 02.10.2026" → a date for every grade named."""
    found: dict[int, dt.date] = {}
    for part in _PAIR_SPLIT.split(text.strip()):
        if not part.strip():
            continue
        pair = _PAIR.match(part.strip())
        if pair is None:
            raise Refused("stage_bad_grade_dates", value=part.strip()[:40])
        low, high = parse_grades(pair[1])
        day = parse_date(pair[2])
        for grade in range(low, high + 1):
            if grade in found:
                raise Refused("stage_bad_grade_dates", value=part.strip()[:40])
            found[grade] = day
    if not found:
        raise Refused("stage_bad_grade_dates", value=text.strip()[:40])
    return found


def parse_score(text: str) -> float | None:
    value = text.strip().replace(",", ".").replace(" ", "")
    if not value:
        return None
    try:
        score = float(value)
    except ValueError:
        raise Refused("stage_bad_score", value=text.strip()[:40]) from None
    if not 0 <= score < 10_000:  # noqa: PLR2004 - also refuses nan and inf
        raise Refused("stage_bad_score", value=text.strip()[:40])
    return score


def parse_place(text: str) -> str:
    value = " ".join(text.split())
    if len(value) > MAX_PLACE:
        raise Refused("stage_place_too_long", limit=MAX_PLACE)
    return value


def check_in_year(day: dt.date, school_year: int) -> None:
    if school_year_of(day) != school_year:
        raise Refused(
            "stage_date_outside_year", date=show_date(day), year=school_year_label(school_year)
        )


def check_not_past(day: dt.date, today: dt.date | None) -> None:
    """An event still open (draft or registration) cannot be put on a day already gone."""
    if today is not None and day < today:
        raise Refused("stage_date_in_past", date=show_date(day), today=show_date(today))


def check_grades(grades: tuple[int, int], allowed: tuple[int, int]) -> None:
    if not allowed[0] <= grades[0] <= grades[1] <= allowed[1]:
        raise Refused(
            "stage_grades_outside_level",
            grades=grade_label(*grades),
            allowed=grade_label(*allowed),
        )


def check_scores(max_score: float | None, passing: float | None) -> None:
    if max_score is not None and passing is not None and passing > max_score:
        raise Refused("stage_passing_above_max", passing=f"{passing:g}", max=f"{max_score:g}")
