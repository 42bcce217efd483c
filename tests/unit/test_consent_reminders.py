"""Consent reminders (pure part): in any zone, never after the consent deadline, never in the
person's quiet hours when there is room before it, and the same instants when planned again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from calendars.consent_rule import CONSENT_DUE, ConsentRule
from calendars.schema import Audience
from calendars.steps import consent_deadline
from calendars.workdays import load_production_calendar
from reminders.consent import deadline_step
from reminders.plan import Recipient, rows, slots
from reminders.prefs import Prefs
from reminders.quiet import DEFAULT_QUIET, in_quiet

CAL = load_production_calendar(
    Path(__file__).resolve().parents[2] / "data" / "reference" / "production_calendar.yaml"
)
ZONES = [
    "Asia/Sakhalin",
    "Asia/Kamchatka",
    "Europe/Kaliningrad",
    "Asia/Tomsk",
    "Europe/Moscow",
    "America/New_York",
]


@settings(max_examples=200, deadline=None)
@given(
    first_event=st.dates(dt.date(2025, 9, 1), dt.date(2027, 12, 20)),
    school_zone=st.sampled_from(ZONES),
    own_zone=st.sampled_from(ZONES),
    audience=st.sampled_from([Audience.STUDENT, Audience.PARENT, Audience.CURATOR]),
    offset=st.integers(-10, -1),
)
def test_consent_reminders_keep_to_the_deadline_and_quiet_hours(
    first_event: dt.date, school_zone: str, own_zone: str, audience: Audience, offset: int
) -> None:
    rule = ConsentRule(offset_working_days=offset)
    deadline = consent_deadline(rule, first_event, school_zone, CAL)
    local_day = deadline.astimezone(ZoneInfo(school_zone)) - dt.timedelta(minutes=1)
    assert CAL.is_working(local_day.date())
    assert local_day.date() < first_event
    step = deadline_step(deadline, school_zone, audience)
    person = Recipient(1, audience, school_zone, own_zone, first_event, Prefs())
    found = slots([step], person, None)
    assert found, "every audience is reminded at least once"
    for slot in found:
        assert slot.due_at < deadline
        assert slot.step.code == CONSENT_DUE
        room = deadline - slot.due_at > dt.timedelta(hours=12)
        if room:
            assert not in_quiet(slot.due_at, ZoneInfo(own_zone), DEFAULT_QUIET)
    again = slots([deadline_step(deadline, school_zone, audience)], person, None)
    keys = [r.key for r in rows(found, person, event_id=None, subject="consent/1/2026")]
    assert keys == [r.key for r in rows(again, person, event_id=None, subject="consent/1/2026")]
