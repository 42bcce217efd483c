"""АИС СГО, additional-education organisations (seed 001): the yearly switch of school year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calendars.loader import load_calendar
from calendars.schema import Audience, Calendar
from calendars.steps import steps_for_date

FILE = Path(__file__).resolve().parents[2] / "data/reference/calendars/school_year_switch.yaml"
SAKHALIN = ZoneInfo("Asia/Sakhalin")


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return load_calendar(FILE)


def at(day: dt.date, hour: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SAKHALIN)


@pytest.mark.parametrize("school_year", [2024, 2025, 2027])
def test_the_switch_dates_of_a_school_year(calendar: Calendar, school_year: int) -> None:
    anchor = dt.date(school_year, 10, 1)  # any day of the school year
    steps = steps_for_date("odo", anchor, calendar, "Asia/Sakhalin")
    y = school_year
    assert [(s.code, s.due_at) for s in steps] == [
        # «Откройте новый учебный год (кнопка доступна в ОДО начиная с 25 августа)»: from 00:00.
        ("new_year_opens", at(dt.date(y, 8, 25))),
        # «Закрывать старый год необходимо до 5 сентября (не позднее 20)»: by the end of the day.
        ("old_year_closed", at(dt.date(y, 9, 6))),
        ("old_year_closed_latest", at(dt.date(y, 9, 21))),
        # «Переход на следующий учебный год возможен с 1 апреля»: the next switch starts.
        ("switch_opens", at(dt.date(y + 1, 4, 1))),
    ]


def test_the_organisation_answers_and_the_levels_above_watch_the_last_day(
    calendar: Calendar,
) -> None:
    track = calendar.track("odo")
    assert {rule.responsible for rule in track.steps} == {Audience.SCHOOL}
    latest = track.step("old_year_closed_latest")
    assert {Audience.MUNICIPAL_OFFICE, Audience.REGIONAL_CENTRE} <= set(latest.audience)
    assert calendar.school_year is None  # the rules recur every year
