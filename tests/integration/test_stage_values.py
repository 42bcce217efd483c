"""Values typed by coordinators or found in schedule cells (pure parsing; no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from services.errors import Refused
from services.stage.values import (
    band_of_header,
    parse_date,
    parse_grade_dates,
    parse_grades,
    parse_score,
)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01.10.2026", dt.date(2026, 10, 1)),
        ("1.10.26", dt.date(2026, 10, 1)),
        ("2026-10-01", dt.date(2026, 10, 1)),
        ("2026-10-01 00:00:00", dt.date(2026, 10, 1)),
        (" 01/10/2026 ", dt.date(2026, 10, 1)),
    ],
)
def test_dates(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31.02.2026", "завтра", "2026-13-01", ""])
def test_bad_dates(text: str) -> None:
    with pytest.raises(Refused) as refused:
        parse_date(text)
    assert refused.value.reason == "stage_bad_date"


@pytest.mark.parametrize(
    ("text", "grades"),
    [
        ("5-11", (5, 11)),
        ("5 – 11 классы", (5, 11)),
        ("9", (9, 9)),
        ("7, 8, 9", (7, 9)),
        ("9-11 кл.", (9, 11)),
    ],
)
def test_grades(text: str, grades: tuple[int, int]) -> None:
    assert parse_grades(text) == grades


@pytest.mark.parametrize("text", ["11-5", "0-4", "5-12", "7, 9", "все"])
def test_bad_grades(text: str) -> None:
    with pytest.raises(Refused):
        parse_grades(text)


def test_grade_dates() -> None:
    found = parse_grade_dates("5-6: 01.10.2026; 7-11 — 02.10.2026")
    assert found == {5: dt.date(2026, 10, 1), 6: dt.date(2026, 10, 1)} | {
        g: dt.date(2026, 10, 2) for g in range(7, 12)
    }
    with pytest.raises(Refused):
        parse_grade_dates("5-7: 01.10.2026; 7-11: 02.10.2026")  # grade 7 twice


@pytest.mark.parametrize(
    ("header", "band"),
    [
        ("Дата 5-6 классы", (5, 6)),
        ("Дата (9–11 кл.)", (9, 11)),
        ("Date grades 7-8", (7, 8)),
        ("Дата 4 класс", (4, 4)),
        ("Дата", None),
        ("Дата проведения", None),
        ("Предмет 5", None),
    ],
)
def test_per_grade_date_headers(header: str, band: tuple[int, int] | None) -> None:
    assert band_of_header(header) == band


def test_scores() -> None:
    assert parse_score("17,5") == 17.5
    assert parse_score("") is None
    for bad in ("-1", "много", "nan"):
        with pytest.raises(Refused):
            parse_score(bad)
