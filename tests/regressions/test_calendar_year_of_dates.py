"""Dates of the year in calendar files land in the right year, and "Moscow time" is the rule's.

Three defects of the calendar floor found while writing the seeds' calendars as data:
- a file written for 2024/25 (`school_year: 2024`) was applied to whatever year the anchor was in;
- an anchor in August placed "08-25" a year early (August opened the file's year in `MonthDay`
  but closed the previous one in the school-year rule used to read it);
- a step read in local time was flagged as stated in Moscow time for schools in Moscow's zone.
"""

from __future__ import annotations

import datetime as dt

from calendars.schema import Calendar
from calendars.steps import steps_for_date
from calendars.yaml_source import parse_yaml

UTC = dt.UTC


def calendar(text: str) -> Calendar:
    return Calendar.model_validate(parse_yaml(text, "test.yaml").data)


STEPS = """
tracks:
  t:
    steps:
      - {code: opens, kind: deadline, on: "08-25", responsible: school, audience: [school]}
      - {code: data, kind: deadline, on: "09-30", responsible: school, audience: [school]}
      - {code: key, kind: deadline, offset_days: 0, time: "07:30", responsible: school,
         audience: [school]}
      - {code: upload, kind: deadline, offset_days: 0, time: "23:00", zone: moscow,
         responsible: school, audience: [school]}
"""


def test_a_file_written_for_one_school_year_keeps_its_dates() -> None:
    fixed = calendar("code: passport\nschool_year: 2024\n" + STEPS)
    steps = {s.code: s for s in steps_for_date("t", dt.date(2026, 10, 1), fixed, "Asia/Tomsk")}
    assert steps["data"].due_at == dt.datetime(2024, 9, 30, 17, 0, tzinfo=UTC)  # not 2026


def test_an_august_anchor_reads_august_dates_of_its_own_year() -> None:
    recurring = calendar("code: switch\n" + STEPS)
    steps = {s.code: s for s in steps_for_date("t", dt.date(2025, 8, 26), recurring, "Asia/Tomsk")}
    assert steps["opens"].due_at == dt.datetime(2025, 8, 25, 17, 0, tzinfo=UTC)  # not 2024
    assert steps["data"].due_at == dt.datetime(2025, 9, 30, 17, 0, tzinfo=UTC)


def test_only_a_rule_stated_in_moscow_time_is_flagged_so() -> None:
    recurring = calendar("code: switch\n" + STEPS)
    moscow = {
        s.code: s for s in steps_for_date("t", dt.date(2026, 4, 15), recurring, "Europe/Moscow")
    }
    assert not moscow["key"].moscow  # local time, which happens to be Moscow's
    assert moscow["upload"].moscow
