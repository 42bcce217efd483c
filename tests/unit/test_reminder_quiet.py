"""Quiet hours and reminder instants: examples with fixed clocks, then properties for any zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calendars.schema import Audience, StepKind
from calendars.steps import Step
from reminders.prefs import DAY, Prefs, reminder_instants
from reminders.quiet import DEFAULT_QUIET, NO_QUIET, QuietHours, digest_slot, in_quiet, place

UTC = dt.UTC
SAKHALIN = ZoneInfo("Asia/Sakhalin")
ZONES = [
    "Europe/Moscow",
    "Asia/Sakhalin",
    "Asia/Tomsk",
    "Europe/Kaliningrad",
    "Europe/Berlin",  # DST
    "America/New_York",  # DST
    "Australia/Lord_Howe",  # DST of half an hour
    "America/Santiago",  # DST changes at midnight
]


def local(zone: ZoneInfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone).astimezone(UTC)


def step(due_at: dt.datetime, code: str = "registration_closes") -> Step:
    return Step(code, StepKind.DEADLINE, due_at, "Asia/Sakhalin", False, Audience.CURATOR,
                (Audience.STUDENT, Audience.CURATOR))  # fmt: skip


def test_outside_quiet_hours_nothing_moves() -> None:
    at = local(SAKHALIN, 2026, 9, 25, 12, 0)
    assert place(at, at + DAY, SAKHALIN, DEFAULT_QUIET) == at


def test_in_quiet_hours_moves_to_their_end() -> None:
    at = local(SAKHALIN, 2026, 9, 25, 23, 30)
    deadline = local(SAKHALIN, 2026, 9, 26, 23, 59)
    assert place(at, deadline, SAKHALIN, DEFAULT_QUIET) == local(SAKHALIN, 2026, 9, 26, 8, 0)


def test_too_late_after_quiet_hours_goes_before_they_start() -> None:
    at = local(SAKHALIN, 2026, 9, 25, 23, 30)
    deadline = local(SAKHALIN, 2026, 9, 26, 7, 0)
    assert place(at, deadline, SAKHALIN, DEFAULT_QUIET) == local(SAKHALIN, 2026, 9, 25, 21, 59)


def test_student_defaults_evening_before_and_morning_of_the_stage() -> None:
    stage = local(SAKHALIN, 2026, 10, 1, 9, 0)
    instants = reminder_instants(step(stage, "stage_day"), Audience.STUDENT, SAKHALIN, Prefs())
    assert [i.astimezone(SAKHALIN).strftime("%d %H:%M") for i in instants] == [
        "30 19:00",
        "01 08:00",  # 07:00 is quiet: moved to 08:00, still before 09:00
    ]


def test_curator_defaults_week_and_day_before() -> None:
    deadline = local(SAKHALIN, 2026, 9, 27, 0, 0)
    instants = reminder_instants(step(deadline), Audience.CURATOR, SAKHALIN, Prefs())
    assert [i.astimezone(SAKHALIN).strftime("%m-%d %H:%M") for i in instants] == [
        "09-20 08:00",
        "09-26 08:00",
    ]


def test_daily_digest_moves_reminders_to_the_chosen_time_before() -> None:
    deadline = local(SAKHALIN, 2026, 9, 27, 0, 0)
    prefs = Prefs(digest_at=dt.time(19, 0))
    instants = reminder_instants(step(deadline), Audience.CURATOR, SAKHALIN, prefs)
    assert [i.astimezone(SAKHALIN).strftime("%m-%d %H:%M") for i in instants] == [
        "09-19 19:00",
        "09-25 19:00",
    ]


def test_digest_slot_is_the_latest_not_after() -> None:
    at = local(SAKHALIN, 2026, 1, 1, 10, 0)
    assert digest_slot(at, SAKHALIN, dt.time(10, 0)) == at
    assert digest_slot(at, SAKHALIN, dt.time(10, 1)) == local(SAKHALIN, 2025, 12, 31, 10, 1)


quiet_hours = st.builds(
    QuietHours,
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
# Hypothesis takes naive bounds and attaches the zone itself.
instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
).map(lambda d: d.replace(second=0, microsecond=0))


def awake_minutes(quiet: QuietHours) -> int:
    start = quiet.start.hour * 60 + quiet.start.minute
    end = quiet.end.hour * 60 + quiet.end.minute
    return (start - end) % (24 * 60)


@settings(max_examples=400, deadline=None)
@given(
    at=instants,
    ahead=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=20)),
    zone=st.sampled_from(ZONES),
    quiet=quiet_hours,
)
def test_placed_never_after_deadline_never_quiet(
    at: dt.datetime, ahead: dt.timedelta, zone: str, quiet: QuietHours
) -> None:
    assume(quiet.off or awake_minutes(quiet) >= 120)  # a day with some waking hours
    tz = ZoneInfo(zone)
    deadline = at + ahead
    placed = place(at, deadline, tz, quiet)
    assert placed <= deadline
    assert placed == at or placed < deadline
    assert not in_quiet(placed, tz, quiet)
    assert place(placed, deadline, tz, quiet) == placed  # placing again changes nothing


@settings(max_examples=300, deadline=None)
@given(
    due=instants,
    zone=st.sampled_from(ZONES),
    quiet=quiet_hours,
    offsets=st.lists(
        st.integers(min_value=1, max_value=14 * 24 * 60).map(lambda m: dt.timedelta(minutes=m)),
        min_size=1,
        max_size=4,
    ),
    digest=st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    audience=st.sampled_from(list(Audience)),
)
def test_reminders_never_after_their_step_never_quiet_and_stable(
    due: dt.datetime,
    zone: str,
    quiet: QuietHours,
    offsets: list[dt.timedelta],
    digest: dt.time | None,
    audience: Audience,
) -> None:
    assume(quiet.off or awake_minutes(quiet) >= 120)
    assume(digest is None or not quiet.contains_wall(digest))
    tz = ZoneInfo(zone)
    prefs = Prefs(offsets=tuple(offsets), quiet=quiet, digest_at=digest)
    found = reminder_instants(step(due), audience, tz, prefs)
    assert all(at < due for at in found)
    assert all(not in_quiet(at, tz, quiet) for at in found)
    assert found == sorted(set(found))
    assert reminder_instants(step(due), audience, tz, prefs) == found  # no hidden state


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)), zone=st.sampled_from(ZONES))
def test_quiet_membership_follows_the_local_wall_clock(day: dt.date, zone: str) -> None:
    tz = ZoneInfo(zone)
    noon = dt.datetime.combine(day, dt.time(12, 0), tzinfo=tz).astimezone(UTC)
    late = dt.datetime.combine(day, dt.time(23, 0), tzinfo=tz).astimezone(UTC)
    assert not in_quiet(noon, tz, DEFAULT_QUIET)
    assert in_quiet(late, tz, DEFAULT_QUIET)
    assert not in_quiet(late, tz, NO_QUIET)
