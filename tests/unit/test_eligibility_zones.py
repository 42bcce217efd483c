"""The registration window holds in every Russian zone and on any day (property tests)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from models.enums import Level
from services.people.timezones import RUSSIAN_ZONES
from services.rules import eligibility as el
from services.rules.deadlines import registration_deadline
from tests.support.eligibility import RULES, event, student

zones = st.sampled_from(RUSSIAN_ZONES + ("Europe/Berlin", "America/New_York"))
days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2032, 12, 31))
OFFSETS = {Level.SCHOOL: 5, Level.MUNICIPAL: 5, Level.REGIONAL: 10}


@given(zone=zones, held_on=days, level=st.sampled_from(list(Level)))
def test_deadline_is_local_midnight_after_d_minus_offset(
    zone: str, held_on: dt.date, level: Level
) -> None:
    deadline = registration_deadline(level, held_on, zone, RULES)
    local = deadline.astimezone(ZoneInfo(zone))
    assert deadline.tzinfo == dt.UTC
    assert (local.hour, local.minute) == (0, 0)
    assert local.date() == held_on - dt.timedelta(days=OFFSETS[level] - 1)


@given(zone=zones, held_on=days, minutes=st.integers(min_value=1, max_value=60 * 24 * 30))
def test_open_exactly_before_the_deadline_and_closed_from_it(
    zone: str, held_on: dt.date, minutes: int
) -> None:
    deadline = registration_deadline(Level.SCHOOL, held_on, zone, RULES)
    ev, who = event(held_on=held_on), student(zone=zone)
    assert el.registration_check(ev, who, RULES, deadline - dt.timedelta(minutes=minutes)).ok
    late = el.registration_check(ev, who, RULES, deadline + dt.timedelta(minutes=minutes - 1))
    assert isinstance(late, el.Ineligible)
    assert late.reason == el.DEADLINE_PASSED
