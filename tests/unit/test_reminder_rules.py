"""Dated steps from the rules data, with fixed dates: boundaries, leap days and time zones."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import default_rules
from calendars.schema import Calendar
from calendars.steps import (
    CREATION_CONTROL,
    CREATION_DUE,
    creation_steps,
    steps_for_date,
    wall_to_utc,
)
from models.enums import Level

UTC = dt.UTC
RULES = default_rules()
SAKHALIN, TOMSK, MOSCOW = "Asia/Sakhalin", "Asia/Tomsk", "Europe/Moscow"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def by_code(level: Level, held_on: dt.date, zone: str, rules: Calendar = RULES) -> dict:
    return {s.code: s for s in steps_for_date(level, held_on, rules, zone)}


def vpr_rules() -> Calendar:
    """The default rules plus the ВПР steps of seed 003, which mix local and Moscow time."""
    data = RULES.model_dump(mode="json")
    data["tracks"]["school"]["steps"] += [
        {"code": "key_available", "kind": "deadline", "offset_days": 0, "time": "07:30",
         "zone": "local", "responsible": "curator", "audience": ["curator"]},
        {"code": "criteria_available", "kind": "deadline", "offset_days": 0, "time": "14:00",
         "zone": "moscow", "responsible": "curator", "audience": ["curator"]},
        {"code": "results_upload", "kind": "deadline", "offset_days": 0, "time": "23:00",
         "zone": "moscow", "responsible": "curator", "audience": ["curator"]},
    ]  # fmt: skip
    return Calendar.model_validate(data)


def test_school_stage_steps_in_sakhalin() -> None:
    steps = steps_for_date(Level.SCHOOL, dt.date(2026, 10, 1), RULES, SAKHALIN)
    assert [s.code for s in steps] == [  # soonest first: the control at 23:59, then midnight
        "registration_control",
        "registration_closes",
        "stage_day",
        "results_due",
        "results_control",
        "close_control",
    ]
    codes = {s.code: s for s in steps}
    # D − 5 by the end of the day: midnight between 26 and 27 September in Sakhalin (UTC+11).
    assert codes["registration_closes"].due_at == utc(2026, 9, 26, 13, 0)
    assert codes["registration_control"].due_at == utc(2026, 9, 26, 12, 59)
    assert codes["stage_day"].due_at == utc(2026, 9, 30, 22, 0)  # 09:00 on 1 October
    assert codes["results_due"].due_at == utc(2026, 10, 15, 13, 0)  # D + 14, end of day
    assert codes["results_control"].due_at == utc(2026, 10, 15, 23, 0)  # D + 15, 10:00
    assert all(s.due_at.tzinfo is UTC for s in steps)


def test_regional_stage_closes_registration_ten_days_before() -> None:
    steps = by_code(Level.REGIONAL, dt.date(2027, 1, 20), MOSCOW)
    assert steps["registration_closes"].due_at == utc(2027, 1, 10, 21, 0)  # 11 Jan 00:00 MSK


def test_month_boundary() -> None:
    steps = by_code(Level.SCHOOL, dt.date(2026, 11, 3), TOMSK)
    # D − 5 is 29 October; its end is 30 October 00:00 in Tomsk (UTC+7).
    assert steps["registration_closes"].due_at == utc(2026, 10, 29, 17, 0)


def test_year_boundary_both_ways() -> None:
    winter = by_code(Level.REGIONAL, dt.date(2027, 1, 5), SAKHALIN)
    assert winter["registration_closes"].due_at.astimezone(ZoneInfo(SAKHALIN)) == dt.datetime(
        2026, 12, 27, 0, 0, tzinfo=ZoneInfo(SAKHALIN)
    )
    december = by_code(Level.MUNICIPAL, dt.date(2026, 12, 28), MOSCOW)
    # D + 14 is 11 January of the next year; due at its end, 12 January 00:00.
    assert december["results_due"].due_at == utc(2027, 1, 11, 21, 0)


def test_last_day_of_february_in_a_leap_year() -> None:
    steps = by_code(Level.SCHOOL, dt.date(2028, 3, 5), MOSCOW)
    local = steps["registration_closes"].due_at.astimezone(ZoneInfo(MOSCOW))
    assert local == dt.datetime(2028, 3, 1, 0, 0, tzinfo=ZoneInfo(MOSCOW))  # after 29 Feb
    ordinary = by_code(Level.SCHOOL, dt.date(2027, 3, 5), MOSCOW)
    local = ordinary["registration_closes"].due_at.astimezone(ZoneInfo(MOSCOW))
    assert local == dt.datetime(2027, 3, 1, 0, 0, tzinfo=ZoneInfo(MOSCOW))  # after 28 Feb


def test_end_of_day_is_the_next_local_midnight() -> None:
    assert wall_to_utc(dt.date(2026, 12, 31), None, MOSCOW) == utc(2026, 12, 31, 21, 0)
    assert wall_to_utc(dt.date(2026, 12, 31), dt.time(23, 59), MOSCOW) == utc(2026, 12, 31, 20, 59)


def test_local_rule_differs_per_zone_moscow_rule_does_not() -> None:
    rules = vpr_rules()
    day = dt.date(2026, 4, 15)
    sakhalin, tomsk, moscow = (
        by_code(Level.SCHOOL, day, z, rules) for z in (SAKHALIN, TOMSK, MOSCOW)
    )
    # 07:30 local is three different instants.
    assert sakhalin["key_available"].due_at == utc(2026, 4, 14, 20, 30)
    assert tomsk["key_available"].due_at == utc(2026, 4, 15, 0, 30)
    assert moscow["key_available"].due_at == utc(2026, 4, 15, 4, 30)
    # 23:00 Moscow is one instant wherever the school is: 07:00 on 16 April in Sakhalin.
    uploads = {s["results_upload"].due_at for s in (sakhalin, tomsk, moscow)}
    assert uploads == {utc(2026, 4, 15, 20, 0)}
    at_sakhalin = sakhalin["results_upload"].due_at.astimezone(ZoneInfo(SAKHALIN))
    assert (at_sakhalin.date(), at_sakhalin.time()) == (dt.date(2026, 4, 16), dt.time(7, 0))
    assert sakhalin["results_upload"].moscow and sakhalin["results_upload"].zone == MOSCOW
    assert not sakhalin["key_available"].moscow and sakhalin["key_available"].zone == SAKHALIN


def test_same_instant_three_local_dates() -> None:
    instant = utc(2026, 9, 30, 15, 30)
    local = {z: instant.astimezone(ZoneInfo(z)) for z in (SAKHALIN, TOMSK, MOSCOW)}
    assert local[SAKHALIN].date() == dt.date(2026, 10, 1)  # 02:30 next day
    assert local[TOMSK].date() == dt.date(2026, 9, 30)  # 22:30
    assert local[MOSCOW].time() == dt.time(18, 30)


@pytest.mark.parametrize(
    ("level", "due", "control"),
    [
        (Level.SCHOOL, utc(2026, 9, 1, 21, 0), utc(2026, 9, 5, 21, 0)),
        (Level.MUNICIPAL, utc(2026, 10, 15, 21, 0), utc(2026, 10, 20, 21, 0)),
        (Level.REGIONAL, utc(2026, 12, 10, 21, 0), utc(2026, 12, 20, 21, 0)),
    ],
)
def test_creation_deadlines_per_level(
    level: Level, due: dt.datetime, control: dt.datetime
) -> None:
    steps = {s.code: s for s in creation_steps(level, 2026, RULES, MOSCOW)}
    assert steps[CREATION_DUE].due_at == due
    assert steps[CREATION_CONTROL].due_at == control
    assert steps[CREATION_CONTROL].audience[-1].value == "supervisor"


ANY_ZONE = [SAKHALIN, TOMSK, MOSCOW, "Europe/Berlin", "America/New_York", "America/Santiago"]


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(dt.date(2024, 1, 1), dt.date(2031, 12, 31)),
    zone=st.sampled_from(ANY_ZONE),
    level=st.sampled_from(list(Level)),
)
def test_local_steps_keep_their_wall_time_in_any_zone(
    day: dt.date, zone: str, level: Level
) -> None:
    tz = ZoneInfo(zone)
    for step in steps_for_date(level, day, RULES, zone):
        rule = RULES.tracks[level].step(step.code)
        wall_day = day + dt.timedelta(days=rule.offset_days + (rule.time is None))
        wall = dt.datetime.combine(wall_day, rule.time or dt.time(0, 0))
        if wall.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != wall:
            continue  # the wall time does not exist that day (a DST gap)
        assert step.due_at.astimezone(tz).replace(tzinfo=None) == wall


@settings(max_examples=100, deadline=None)
@given(day=st.dates(dt.date(2024, 1, 1), dt.date(2031, 12, 31)), zone=st.sampled_from(ANY_ZONE))
def test_moscow_rules_name_one_instant_whatever_the_zone(day: dt.date, zone: str) -> None:
    rules = vpr_rules()
    here = by_code(Level.SCHOOL, day, zone, rules)["results_upload"]
    there = by_code(Level.SCHOOL, day, MOSCOW, rules)["results_upload"]
    assert here.due_at == there.due_at
