"""«Паспорт школы» 2024/25 (seed 002): every row of the stage tables falls on the seed's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from calendars.loader import load_calendar
from calendars.schema import Audience, Calendar
from calendars.steps import Step, steps_for_date

FILE = Path(__file__).resolve().parents[2] / "data/reference/calendars/school_passport.yaml"
TOMSK = "Asia/Tomsk"
# Any day of 2024/25 dates its `on` steps; an exam day (a ГИА-11 exam) dates the `exam` track.
IN_THE_YEAR = dt.date(2024, 9, 2)
EXAM_DAY = dt.date(2025, 5, 29)

LEVELS = {
    "ОО": Audience.SCHOOL,
    "МОУО": Audience.MUNICIPAL_OFFICE,
    "РЦОИ": Audience.REGIONAL_CENTRE,
    "ОО-ППЭ": Audience.EXAM_POINT,
}


class Row(NamedTuple):
    track: str
    code: str
    day: dt.date  # the seed's date (for `exam`: relative to EXAM_DAY)
    level: str  # the seed's «Уровень ответственности», the first one responsible
    signed: bool  # «Необходимость загрузки выверки на сайт результатов»


def d(month: int, day: int) -> dt.date:
    return dt.date(2024 if month >= 8 else 2025, month, day)


# The seed's stage tables, row by row (Этап.row); where the stage table and the seed's own
# calendar disagree, the reading the data file takes (its comments say why).
SEED_ROWS = {
    "1.1": Row("collection", "school_details", d(9, 30), "ОО", True),
    "1.2": Row("collection", "students_9_11", d(10, 7), "ОО", True),  # table «Нет», calendar «Да»
    "1.3": Row("collection", "students_1_8", d(10, 13), "ОО", False),  # table «Да», calendar «Нет»
    "1.4": Row("collection", "staff", d(10, 13), "ОО", True),
    "1.5 ГИА-11": Row("collection", "special_needs_gia11", d(11, 1), "ОО МОУО", True),
    "1.5 ГИА-9": Row("collection", "special_needs_gia9", d(11, 24), "ОО МОУО", True),
    "1.6 ГИА-11": Row("collection", "essay_commission_gia11", d(11, 6), "ОО МОУО", False),
    "1.6 ГИА-9": Row("collection", "interview_commission_gia9", d(1, 29), "ОО МОУО", False),
    "1.7 heads": Row("collection", "ppe_staff_heads", d(2, 3), "ОО МОУО", True),
    "1.7 organisers": Row("collection", "ppe_staff_organisers", d(3, 1), "ОО МОУО", True),
    "1.8 ГИА-11 Dec": Row("collection", "essay_dec_gia11", d(11, 11), "ОО", True),
    "1.8 ГИА-11 Feb": Row("collection", "essay_feb_gia11", d(1, 13), "ОО", True),
    "1.8 ГИА-11 Apr": Row("collection", "essay_apr_gia11", d(3, 19), "ОО", True),
    "1.8 ГИА-9 Feb": Row("collection", "interview_feb_gia9", d(1, 29), "ОО", True),
    "1.8 ГИА-9 Mar": Row("collection", "interview_mar_gia9", d(2, 26), "ОО", True),
    "1.8 ГИА-9 Apr": Row("collection", "interview_apr_gia9", d(4, 2), "ОО", True),
    "1.9 ГИА-11": Row("collection", "subjects_gia11", d(2, 1), "ОО", True),
    "1.9 ГИА-9": Row("collection", "subjects_gia9", d(3, 1), "ОО", True),
    "1.10 ГИА-11": Row("collection", "rooms_gia11", d(2, 1), "ОО-ППЭ", True),
    "1.10 ГИА-9": Row("collection", "rooms_gia9", d(3, 1), "ОО", True),  # table «ООО-ППЭ»
    "1.11 ГИА-11": Row("collection", "reverify_gia11", d(4, 7), "ОО", True),
    "1.11 ГИА-9": Row("collection", "reverify_gia9", d(4, 7), "ОО", True),
    "2.1 ГИА-11": Row("planning", "exam_points_gia11", d(11, 1), "РЦОИ", False),
    "2.1 ГИА-9": Row(
        "planning", "exam_points_gia9", d(3, 1), "РЦОИ", False
    ),  # calendar «1 ноября»
    "2.2 ГИА-11": Row("planning", "exam_assignment_gia11", d(2, 17), "РЦОИ", False),
    "2.2 ГИА-9": Row("planning", "exam_assignment_gia9", d(4, 12), "РЦОИ", False),
    "2.3 ГИА-11": Row("planning", "staff_proposals_gia11", d(4, 14), "МОУО", False),
    "2.3 ГИА-9": Row("planning", "staff_proposals_gia9", d(4, 20), "МОУО", False),
    # «не позднее чем за 2 недели до даты экзамена»
    "1.5 changes": Row("exam", "special_conditions_changes", dt.date(2025, 5, 15), "ОО", False),
    "3.1": Row("exam", "materials_download", EXAM_DAY, "ОО-ППЭ", False),
    "3.2": Row("exam", "materials_upload", EXAM_DAY, "ОО-ППЭ", False),
}


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return load_calendar(FILE)


def step_of(calendar: Calendar, row: Row) -> Step:
    anchor = {"E": EXAM_DAY} if row.track == "exam" else IN_THE_YEAR
    [step] = [s for s in steps_for_date(row.track, anchor, calendar, TOMSK) if s.code == row.code]
    return step


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=ZoneInfo(TOMSK))


@pytest.mark.parametrize("row", SEED_ROWS.values(), ids=SEED_ROWS.keys())
def test_a_seed_row_is_a_step_on_the_seeds_date(calendar: Calendar, row: Row) -> None:
    step = step_of(calendar, row)
    rule = calendar.track(row.track).step(row.code)
    if rule.time is None:
        # By the end of the seed's day in the school's zone.
        assert step.due_at == end_of_day(row.day)
    else:
        assert step.due_at.astimezone(ZoneInfo(TOMSK)).date() == row.day
    levels = [LEVELS[name] for name in row.level.split()]
    assert step.responsible == levels[0]
    assert set(levels) <= set(step.audience)
    assert rule.signed_form is row.signed


def test_every_step_of_the_file_is_a_seed_row(calendar: Calendar) -> None:
    in_file = {(code, s.code) for code, track in calendar.tracks.items() for s in track.steps}
    assert in_file == {(row.track, row.code) for row in SEED_ROWS.values()}
    assert calendar.school_year == 2024


def test_the_levels_above_the_responsible_one_see_the_step(calendar: Calendar) -> None:
    above = {
        Audience.SCHOOL: {Audience.MUNICIPAL_OFFICE, Audience.REGIONAL_CENTRE},
        Audience.EXAM_POINT: {Audience.MUNICIPAL_OFFICE, Audience.REGIONAL_CENTRE},
        Audience.MUNICIPAL_OFFICE: {Audience.REGIONAL_CENTRE},
    }
    for track in ("collection", "planning"):
        for rule in calendar.track(track).steps:
            assert above.get(rule.responsible, set()) <= set(rule.audience), rule.code


def test_exam_day_downloads_an_hour_before_a_ten_oclock_start(calendar: Calendar) -> None:
    steps = {s.code: s for s in steps_for_date("exam", {"E": EXAM_DAY}, calendar, TOMSK)}
    download = steps["materials_download"].due_at.astimezone(ZoneInfo(TOMSK))
    assert download == dt.datetime(2025, 5, 29, 9, 0, tzinfo=ZoneInfo(TOMSK))
    assert steps["materials_upload"].due_at == end_of_day(EXAM_DAY)
    assert [s.code for s in steps.values()][0] == "special_conditions_changes"


def test_every_step_has_a_russian_and_an_english_title(calendar: Calendar) -> None:
    for track in calendar.tracks.values():
        for rule in track.steps:
            assert rule.title is not None
            assert set(rule.title) == {"ru", "en"}, rule.code


# The seed's own calendar at its end («Календарь внесения информации в ИС «Паспорт школы»»),
# row by row: date, the step it names, level, «Необходимость загрузки выверки».
SEED_CALENDAR = [
    (d(9, 30), "school_details", "ОО", True),
    (d(10, 7), "students_9_11", "ОО", True),
    (d(10, 13), "students_1_8", "ОО", False),
    (d(10, 13), "staff", "ОО", True),
    (d(11, 1), "exam_points_gia11", "РЦОИ", False),
    (d(11, 1), "special_needs_gia11", "ОО МОУО", True),
    (d(11, 6), "essay_commission_gia11", "ОО МОУО", False),
    (d(11, 11), "essay_dec_gia11", "ОО", True),
    (d(11, 24), "special_needs_gia9", "ОО МОУО", True),
    (d(1, 13), "essay_feb_gia11", "ОО", True),
    (d(1, 29), "interview_commission_gia9", "ОО МОУО", False),
    (d(1, 29), "interview_feb_gia9", "ОО", True),
    (d(2, 1), "subjects_gia11", "ОО", True),
    (d(2, 1), "rooms_gia11", "ОО-ППЭ", True),
    (d(2, 3), "ppe_staff_heads", "ОО МОУО", True),
    (d(2, 17), "exam_assignment_gia11", "РЦОИ", False),
    (d(2, 26), "interview_mar_gia9", "ОО", True),
    (d(11, 1), "exam_points_gia9", "РЦОИ", False),  # printed between 26 Feb and 1 Mar
    (d(3, 1), "subjects_gia9", "ОО", True),
    (d(3, 1), "rooms_gia9", "ОО", True),
    (d(3, 1), "ppe_staff_organisers", "ОО МОУО", True),
    (d(3, 19), "essay_apr_gia11", "ОО", True),
    (d(4, 2), "interview_apr_gia9", "ОО", True),
    (d(4, 7), "reverify_gia9", "ОО", True),
    (d(4, 7), "reverify_gia11", "ОО", True),
    (d(4, 12), "exam_assignment_gia9", "РЦОИ", False),
    (d(4, 14), "staff_proposals_gia11", "МОУО", False),
    (d(4, 20), "staff_proposals_gia9", "МОУО", False),
]
# Where the data file follows the stage table instead of the seed's calendar (its comment
# beside the step says why).
READ_FROM_THE_TABLE = {"exam_points_gia9": "date"}


def test_the_seeds_own_calendar_agrees_or_the_file_says_why(calendar: Calendar) -> None:
    text = FILE.read_text(encoding="utf-8")
    rows = {row.code: row for row in SEED_ROWS.values()}
    for day, code, level, signed in SEED_CALENDAR:
        row = rows[code]
        rule = calendar.track(row.track).step(code)
        differs = []
        if row.day != day:
            differs.append("date")
        if LEVELS[level.split()[0]] != rule.responsible:
            differs.append("level")
        if rule.signed_form is not signed:
            differs.append("signed_form")
        expected = [READ_FROM_THE_TABLE[code]] if code in READ_FROM_THE_TABLE else []
        assert differs == expected, code
        if differs:
            comment = text[: text.index(f"code: {code}\n")].rsplit("- code:", 1)[1]
            assert "Reading:" in comment and "calendar" in comment, code
    assert {code for _, code, _, _ in SEED_CALENDAR} == {
        row.code for row in SEED_ROWS.values() if row.track != "exam"
    }
