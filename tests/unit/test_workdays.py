"""Working days of the production calendar: holidays, moved days off and moved working days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calendars.consent_rule import ConsentRule
from calendars.errors import ReferenceDataError
from calendars.loader import load_calendar
from calendars.steps import consent_day, consent_deadline, steps_for_date
from calendars.workdays import ProductionCalendar, load_production_calendar

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
CAL: ProductionCalendar = load_production_calendar(REFERENCE / "production_calendar.yaml")
D = dt.date


def year_days(year: int) -> list[dt.date]:
    first = D(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((D(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", [2025, 2026])
def test_decreed_years_have_the_official_number_of_working_days(year: int) -> None:
    # Both years: 247 working days and 118 days off on a five-day week (the decrees' figures).
    assert sum(CAL.is_working(day) for day in year_days(year)) == 247
    assert CAL.confirmed(year)


def test_2027_is_shipped_but_not_confirmed() -> None:
    assert not CAL.confirmed(2027)
    assert CAL.years[2027].decree is None
    assert not CAL.is_working(D(2027, 5, 3))  # 1 May on a Saturday: art. 112 part 2


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 8), False),  # New Year holidays
        (D(2026, 1, 9), False),  # 3 January (Sat) moved here by the decree
        (D(2026, 1, 12), True),  # the first working day of 2026
        (D(2026, 2, 23), False),  # Defender of the Fatherland Day, a Monday
        (D(2026, 3, 9), False),  # 8 March on a Sunday: the Monday after is off
        (D(2026, 5, 1), False),
        (D(2026, 5, 11), False),  # 9 May on a Saturday: Monday 11 May is off
        (D(2026, 6, 12), False),
        (D(2026, 11, 4), False),
        (D(2026, 11, 3), True),
        (D(2026, 12, 31), False),  # 4 January (Sun) moved here
        (D(2025, 11, 1), True),  # a working Saturday in 2025
        (D(2025, 11, 3), False),  # …its day off moved to the Monday
        (D(2025, 5, 8), False),  # 23 February 2025 (Sun) moved here
        (D(2025, 6, 13), False),  # 8 March 2025 (Sat) moved here
        (D(2025, 2, 24), True),  # so the Monday after 23 February 2025 is a working day
        (D(2025, 3, 10), True),
    ],
)
def test_which_days_are_working(day: dt.date, working: bool) -> None:
    assert CAL.is_working(day) is working


@pytest.mark.parametrize(
    ("anchor", "offset", "expected"),
    [
        (D(2026, 1, 12), -3, D(2025, 12, 26)),  # back across the New Year break and 31 Dec
        (D(2026, 2, 25), -3, D(2026, 2, 19)),  # across 23 February and its weekend
        (D(2026, 3, 11), -3, D(2026, 3, 5)),  # across 8 March moved to Monday 9 March
        (D(2026, 5, 13), -3, D(2026, 5, 7)),  # across 9 May moved to Monday 11 May
        (D(2026, 5, 5), -3, D(2026, 4, 29)),  # across 1 May
        (D(2026, 6, 16), -3, D(2026, 6, 10)),  # across 12 June
        (D(2026, 11, 6), -3, D(2026, 11, 2)),  # across 4 November
        (D(2025, 11, 5), -3, D(2025, 10, 30)),  # the working Saturday 1 Nov 2025 counts
        (D(2025, 11, 5), -1, D(2025, 11, 1)),  # …and can be the day itself
        (D(2026, 10, 12), -3, D(2026, 10, 7)),  # an ordinary autumn week
        (D(2026, 12, 30), 2, D(2027, 1, 12)),  # forwards over the New Year
        (D(2026, 1, 1), 0, D(2025, 12, 30)),  # 0 from a day off: the working day before
    ],
)
def test_adding_working_days(anchor: dt.date, offset: int, expected: dt.date) -> None:
    assert CAL.add_working_days(anchor, offset) == expected


@given(
    day=st.dates(D(2025, 1, 15), D(2027, 12, 15)),
    count=st.integers(min_value=1, max_value=30),
)
def test_offsets_land_on_working_days_and_count_them(day: dt.date, count: int) -> None:
    back = CAL.add_working_days(day, -count)
    ahead = CAL.add_working_days(day, count)
    assert CAL.is_working(back) and CAL.is_working(ahead)
    assert back < day < ahead
    assert CAL.working_days_between(back, day) == count - (0 if CAL.is_working(day) else 1)
    assert CAL.working_days_between(day, ahead) == count


@given(day=st.dates(D(2025, 1, 15), D(2027, 12, 15)), count=st.integers(1, 30))
def test_going_back_then_forward_returns_to_a_working_day(day: dt.date, count: int) -> None:
    there = CAL.add_working_days(CAL.add_working_days(day, -count), count)
    assert there == (day if CAL.is_working(day) else CAL.add_working_days(day, 1))


@given(day=st.dates(D(2025, 1, 1), D(2027, 12, 31)))
def test_weekends_are_off_unless_moved(day: dt.date) -> None:
    moved = day in CAL.years[day.year].working_days
    if day.weekday() >= 5:
        assert CAL.is_working(day) is moved


def test_the_consent_rule_of_the_olympiad_calendar() -> None:
    calendar = load_calendar(REFERENCE / "calendars" / "olympiad.yaml")
    assert calendar.consent == ConsentRule(track="school", offset_working_days=-3)
    rule = calendar.consent
    # A first event on Tuesday 5 May 2026: 4, 30 April and 29 April count; 1–3 May are off.
    assert consent_day(rule, D(2026, 5, 5), CAL) == D(2026, 4, 29)
    deadline = consent_deadline(rule, D(2026, 10, 12), "Asia/Sakhalin", CAL)
    # By the end of Wednesday 7 October in Yuzhno-Sakhalinsk (UTC+11).
    assert deadline == dt.datetime(2026, 10, 7, 13, 0, tzinfo=dt.UTC)


def test_a_step_in_working_days(tmp_path: Path) -> None:
    (tmp_path / "wd.yaml").write_text(
        "code: wd\ntracks:\n  t:\n    steps:\n"
        "      - {code: form_due, kind: deadline, offset_working_days: -2, time: '18:00',\n"
        "         responsible: school, audience: [school]}\n",
        encoding="utf-8",
    )
    calendar = load_calendar(tmp_path / "wd.yaml")
    [step] = steps_for_date("t", D(2026, 5, 12), calendar, "Asia/Tomsk", CAL)
    # 12 May 2026 is a Tuesday after the 9–11 May break: two working days back is 7 May.
    assert step.due_at == dt.datetime(2026, 5, 7, 11, 0, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="counts working days"):
        steps_for_date("t", D(2026, 5, 12), calendar, "Asia/Tomsk")


def test_working_day_offsets_are_checked_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "code: bad\ntracks:\n  t:\n    steps:\n"
        "      - {code: aa, kind: deadline, offset_working_days: -3, offset_days: -1,\n"
        "         responsible: school, audience: [school]}\n"
        "      - {code: bb, kind: deadline, offset_working_days: -300,\n"
        "         responsible: school, audience: [school]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError) as caught:
        load_calendar(tmp_path / "bad.yaml")
    problems = caught.value.problems
    assert any(p.startswith("bad.yaml, line 5") and "exactly one of" in p for p in problems)
    assert any(
        p.startswith("bad.yaml, line 7") and "offset_working_days" in p and "-60" in p
        for p in problems
    ), problems


def test_a_bad_production_calendar_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "pc.yaml").write_text(
        'holidays: ["01-01"]\nyears:\n  2026:\n    decree: "N 1"\n    confirmed: true\n'
        "    days_off: [2026-01-10]\n    working_days: [2026-01-12]\n"
        "  2027:\n    decree: null\n    confirmed: true\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError) as caught:
        load_production_calendar(tmp_path / "pc.yaml")
    problems = caught.value.problems
    assert any(p.startswith("pc.yaml, line 3") and "weekends: 2026-01-10" in p for p in problems)
    assert any(p.startswith("pc.yaml, line 8") and "names its decree" in p for p in problems)
