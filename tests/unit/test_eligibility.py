"""The eligibility rules: deadlines on the school's own clock, grade bounds, status, scope."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from models.enums import EventStatus, Level, RegistrationState
from services.rules import eligibility as el
from services.rules.deadlines import registration_deadline, shown_deadline, time_left
from tests.support.eligibility import MOSCOW, RULES, SAKHALIN, D, at, check, event, student


def test_school_stage_closes_at_the_end_of_d_minus_5_on_the_schools_clock() -> None:
    deadline = registration_deadline(Level.SCHOOL, D, SAKHALIN, RULES)
    assert deadline == at(SAKHALIN, 2026, 10, 13, 0, 0)
    assert deadline == dt.datetime(2026, 10, 12, 13, 0, tzinfo=dt.UTC)
    assert deadline.tzinfo == dt.UTC


def test_regional_stage_closes_at_d_minus_10_and_municipal_at_d_minus_5() -> None:
    assert registration_deadline(Level.REGIONAL, D, MOSCOW, RULES) == at(MOSCOW, 2026, 10, 8)
    assert registration_deadline(Level.MUNICIPAL, D, MOSCOW, RULES) == at(MOSCOW, 2026, 10, 13)


def test_last_minute_before_the_deadline_in_sakhalin_is_open_and_the_next_is_closed() -> None:
    last_minute = at(SAKHALIN, 2026, 10, 12, 23, 59)
    assert check(event(), student(), last_minute).ok
    verdict = check(event(), student(), at(SAKHALIN, 2026, 10, 13, 0, 0))
    assert isinstance(verdict, el.Ineligible)
    assert verdict.reason == el.DEADLINE_PASSED
    assert verdict.details["deadline"] == at(SAKHALIN, 2026, 10, 13, 0, 0)


def test_the_same_instant_is_late_in_sakhalin_but_in_time_in_moscow() -> None:
    # 23:00 Moscow on D-5 is 07:00 of D-4 in Yuzhno-Sakhalinsk: the Sakhalin school has closed.
    now = at(MOSCOW, 2026, 10, 12, 23, 0)
    assert not check(event(), student(zone=SAKHALIN), now).ok
    assert check(event(), student(zone=MOSCOW), now).ok


@pytest.mark.parametrize(
    ("grade", "ok"), [(4, False), (5, True), (6, True), (10, True), (11, True)]
)
def test_grade_boundaries_are_inclusive(grade: int, ok: bool) -> None:
    verdict = check(
        event(grade_min=5, grade_max=11), student(grade=grade), at(MOSCOW, 2026, 10, 1)
    )
    assert verdict.ok is ok
    if not ok:
        assert isinstance(verdict, el.Ineligible)
        assert verdict.reason == el.GRADE_NOT_ADMITTED
        assert verdict.details == {"grade": grade, "min": 5, "max": 11}


def test_grade_above_a_narrow_range_is_refused() -> None:
    verdict = check(event(grade_min=9, grade_max=9), student(grade=10), at(MOSCOW, 2026, 10, 1))
    assert isinstance(verdict, el.Ineligible)
    assert verdict.reason == el.GRADE_NOT_ADMITTED


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (EventStatus.DRAFT, el.NOT_OPEN_YET),
        (EventStatus.CONDUCTING, el.STATUS_CLOSED),
        (EventStatus.SUMMARIZING, el.STATUS_CLOSED),
        (EventStatus.FINISHED, el.STATUS_CLOSED),
        (EventStatus.CANCELLED, el.EVENT_CANCELLED),
    ],
)
def test_a_status_change_while_on_the_card_refuses_the_press(
    status: EventStatus, reason: str
) -> None:
    now = at(MOSCOW, 2026, 10, 1)
    assert check(event(), student(), now).ok  # what the card showed
    verdict = check(event(status=status), student(), now)  # what the press finds
    assert isinstance(verdict, el.Ineligible)
    assert verdict.reason == reason


def test_students_sign_up_for_the_school_stage_only_staff_for_others() -> None:
    now = at(MOSCOW, 2026, 10, 1)
    municipal = event(level=Level.MUNICIPAL, held_on=dt.date(2026, 11, 19))
    verdict = check(municipal, student(), now)
    assert isinstance(verdict, el.Ineligible)
    assert verdict.reason == el.FORMED_BY_ORGANISER
    assert check(municipal, student(), now, self_service=False).ok


def test_scope_of_a_municipal_and_a_regional_organiser() -> None:
    now = at(MOSCOW, 2026, 10, 1)
    other_town = student(municipality_id=8)
    verdict = check(event(), other_town, now)
    assert isinstance(verdict, el.Ineligible)
    assert verdict.reason == el.OUT_OF_SCOPE
    regional = event(municipality_id=None, level=Level.REGIONAL, held_on=dt.date(2027, 1, 20))
    assert check(regional, other_town, now, self_service=False).ok
    verdict = check(regional, student(region_id=54), now, self_service=False)
    assert isinstance(verdict, el.Ineligible)
    assert verdict.reason == el.OUT_OF_SCOPE


def test_profile_gaps_come_first_and_reasons_keep_their_order() -> None:
    now = at(MOSCOW, 2026, 12, 1)
    no_school = check(event(), student(school_id=None), now)
    no_grade = check(event(), student(grade=None), now)
    assert isinstance(no_school, el.Ineligible)
    assert no_school.reason == el.NO_SCHOOL
    assert isinstance(no_grade, el.Ineligible)
    assert no_grade.reason == el.NO_GRADE
    # Late, outside the grades and another town at once: the deadline is what is said.
    late = check(event(), student(grade=3, municipality_id=8), now)
    assert isinstance(late, el.Ineligible)
    assert late.reason == el.DEADLINE_PASSED


def test_withdrawing_is_possible_only_while_registration_is_open() -> None:
    open_now = at(SAKHALIN, 2026, 10, 12, 23, 59)
    late = at(SAKHALIN, 2026, 10, 13, 0, 0)
    registered = RegistrationState.REGISTERED
    assert el.unregistration_check(event(), student(), registered, RULES, open_now).ok
    cases = [
        (None, open_now, EventStatus.REGISTRATION, el.NOT_REGISTERED),
        (registered, late, EventStatus.REGISTRATION, el.UNREG_DEADLINE_PASSED),
        (registered, open_now, EventStatus.CONDUCTING, el.STATUS_CLOSED),
        (RegistrationState.PARTICIPATED, open_now, EventStatus.REGISTRATION, el.UNREG_AFTER_START),
    ]
    for state, now, status, reason in cases:
        verdict = el.unregistration_check(event(status=status), student(), state, RULES, now)
        assert isinstance(verdict, el.Ineligible)
        assert verdict.reason == reason, (state, now, status)


def test_deadline_shown_as_23_59_of_its_day_and_time_left() -> None:
    deadline = registration_deadline(Level.SCHOOL, D, SAKHALIN, RULES)
    shown = shown_deadline(deadline, SAKHALIN).astimezone(ZoneInfo(SAKHALIN))
    assert (shown.date(), shown.hour, shown.minute) == (dt.date(2026, 10, 12), 23, 59)
    # Read in Moscow the same deadline is 16:00 of D-5, shown as it is.
    assert shown_deadline(deadline, MOSCOW) == deadline
    left = time_left(deadline, deadline - dt.timedelta(days=2, hours=3, minutes=4, seconds=5))
    assert left is not None
    assert (left.days, left.hours, left.minutes) == (2, 3, 4)
    assert time_left(deadline, deadline) is None
