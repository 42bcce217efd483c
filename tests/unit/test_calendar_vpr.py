"""ВПР (seed 003): steps relative to the work's date W and the upload date U, in mixed zones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from calendars.loader import load_calendar
from calendars.schema import Audience, Calendar
from calendars.steps import Step, steps_for_date

FILE = Path(__file__).resolve().parents[2] / "data/reference/calendars/vpr.yaml"
CALENDAR: Calendar = load_calendar(FILE)
MOSCOW = ZoneInfo("Europe/Moscow")
# Russia's zones, west to east.
ZONES = [
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Tomsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Sakhalin",
    "Asia/Magadan",
    "Asia/Kamchatka",
]
TRACKS = ["open_archive", "encrypted_archive"]
works = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2032, 12, 31))
upload_after = st.integers(min_value=0, max_value=14)


def steps(track: str, work: dt.date, upload: dt.date, zone: str) -> dict[str, Step]:
    found = steps_for_date(track, {"W": work, "U": upload}, CALENDAR, zone)
    return {s.code: s for s in found}


def end_of_day(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=ZoneInfo(zone))


@settings(max_examples=150, deadline=None)
@given(work=works, after=upload_after, zone=st.sampled_from(ZONES))
@example(work=dt.date(2027, 1, 1), after=0, zone="Asia/Kamchatka")  # the key falls in 2026 UTC
@example(work=dt.date(2026, 12, 31), after=1, zone="Asia/Sakhalin")  # U in the next year
@example(work=dt.date(2028, 3, 1), after=0, zone="Europe/Kaliningrad")  # W-3 is 27 Feb (leap)
def test_encrypted_archive_steps(work: dt.date, after: int, zone: str) -> None:
    upload = work + dt.timedelta(days=after)
    found = steps("encrypted_archive", work, upload, zone)
    local = ZoneInfo(zone)
    assert found["materials_available"].due_at == end_of_day(work - dt.timedelta(days=3), zone)
    key = found["key_available"].due_at
    assert key.astimezone(local) == dt.datetime.combine(work, dt.time(7, 30), tzinfo=local)
    # Read in the school's own zone (a rule in local time, not in Moscow time).
    assert found["key_available"].zone == zone
    assert CALENDAR.track("encrypted_archive").step("key_available").zone_name is None
    criteria = found["criteria_available"]
    assert criteria.due_at.astimezone(MOSCOW) == dt.datetime.combine(
        work, dt.time(14, 0), tzinfo=MOSCOW
    )
    assert criteria.moscow
    # 14:00 Moscow is still W in every Russian zone (13:00 to 23:00 local).
    assert criteria.due_at.astimezone(local).date() == work
    assert_upload(found["results_uploaded"], upload, zone)


@settings(max_examples=100, deadline=None)
@given(work=works, after=upload_after, zone=st.sampled_from(ZONES))
@example(work=dt.date(2027, 1, 2), after=0, zone="Asia/Tomsk")  # W-4 is 29 Dec
@example(work=dt.date(2026, 4, 30), after=1, zone="Asia/Sakhalin")  # U on 1 May
def test_open_archive_steps(work: dt.date, after: int, zone: str) -> None:
    upload = work + dt.timedelta(days=after)
    found = steps("open_archive", work, upload, zone)
    assert found["materials_available"].due_at == end_of_day(work - dt.timedelta(days=4), zone)
    # Not encrypted, and the criteria come with the archive (seed 003, 2.1.1.1).
    assert set(found) == {"materials_available", "results_uploaded"}
    assert_upload(found["results_uploaded"], upload, zone)


def assert_upload(step: Step, upload: dt.date, zone: str) -> None:
    assert step.due_at.astimezone(MOSCOW) == dt.datetime.combine(
        upload, dt.time(23, 0), tzinfo=MOSCOW
    )
    assert step.moscow
    local = step.due_at.astimezone(ZoneInfo(zone))
    # West of Samara it is still U locally; from Samara east it is the next morning.
    hours_ahead = (local.utcoffset() or dt.timedelta()) - dt.timedelta(hours=3)
    expected_day = upload if hours_ahead < dt.timedelta(hours=1) else upload + dt.timedelta(1)
    assert local.date() == expected_day


@pytest.mark.parametrize(
    ("zone", "day", "hour"),
    [
        ("Asia/Sakhalin", 20, 7),  # 07:00 the next day in Yuzhno-Sakhalinsk
        ("Asia/Tomsk", 20, 3),
        ("Europe/Moscow", 19, 23),
        ("Europe/Kaliningrad", 19, 22),
        ("Asia/Kamchatka", 20, 8),
    ],
)
def test_upload_by_23_moscow_in_local_time(zone: str, day: int, hour: int) -> None:
    local = dt.datetime(2027, 4, day, hour, 0, tzinfo=ZoneInfo(zone))
    for track in TRACKS:
        found = steps(track, dt.date(2027, 4, 15), dt.date(2027, 4, 19), zone)
        due = found["results_uploaded"].due_at.astimezone(ZoneInfo(zone))
        assert (due.date(), due.time()) == (local.date(), local.time())


def test_the_coordinators_see_the_upload_only() -> None:
    monitors = {Audience.MUNICIPAL_OFFICE, Audience.REGIONAL_CENTRE}
    for track in TRACKS:
        for rule in CALENDAR.track(track).steps:
            assert rule.responsible == Audience.SCHOOL
            sees = monitors <= set(rule.audience)
            assert sees is (rule.code == "results_uploaded"), rule.code
        assert CALENDAR.track(track).anchors == ("W", "U")
