"""The appeal window across zones: durations, «until HH:MM N days later» on the event's clock,
the organiser's own window, month and year boundaries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from services.errors import Refused
from services.rules.olympiad_day import (
    AppealOverride,
    AppealRule,
    appeal_closes,
    parse_window,
    release_instant,
)

UTC = dt.UTC
KALININGRAD, MOSCOW, SAKHALIN = "Europe/Kaliningrad", "Europe/Moscow", "Asia/Sakhalin"
NONE = AppealOverride()


def local(zone: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


@pytest.mark.parametrize("zone", [KALININGRAD, MOSCOW, SAKHALIN])
def test_a_duration_is_the_same_span_in_every_zone(zone: str) -> None:
    published = local(zone, 2026, 10, 30, 15, 0)
    closes = appeal_closes(published, AppealRule(hours=72), NONE, zone)
    assert closes - published == dt.timedelta(hours=72)
    assert closes.astimezone(ZoneInfo(zone)) == local(zone, 2026, 11, 2, 15, 0)


@pytest.mark.parametrize(("zone", "utc_hour"), [(KALININGRAD, 16), (MOSCOW, 15), (SAKHALIN, 7)])
def test_until_a_local_time_days_later_reads_the_event_zone(zone: str, utc_hour: int) -> None:
    rule = AppealRule(days=3, time=dt.time(18, 0))
    published = local(zone, 2026, 10, 30, 9, 0)
    closes = appeal_closes(published, rule, NONE, zone)
    assert closes.astimezone(ZoneInfo(zone)) == local(zone, 2026, 11, 2, 18, 0)  # next month
    assert closes.tzinfo == UTC and closes.hour == utc_hour


def test_the_local_day_of_publication_counts_not_the_utc_one() -> None:
    """21:30 UTC on 31 December: still the old year in Kaliningrad (23:30), the new one in
    Moscow (00:30) and Yuzhno-Sakhalinsk (08:30)."""
    rule = AppealRule(days=1, time=dt.time(18, 0))
    published = dt.datetime(2026, 12, 31, 21, 30, tzinfo=UTC)
    sakhalin = appeal_closes(published, rule, NONE, SAKHALIN)
    moscow = appeal_closes(published, rule, NONE, MOSCOW)
    kaliningrad = appeal_closes(published, rule, NONE, KALININGRAD)
    assert sakhalin.astimezone(ZoneInfo(SAKHALIN)) == local(SAKHALIN, 2027, 1, 2, 18, 0)
    assert moscow.astimezone(ZoneInfo(MOSCOW)) == local(MOSCOW, 2027, 1, 2, 18, 0)
    assert kaliningrad.astimezone(ZoneInfo(KALININGRAD)) == local(KALININGRAD, 2027, 1, 1, 18, 0)


def test_the_organisers_window_wins_and_an_instant_wins_over_a_duration() -> None:
    published = dt.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    rule = AppealRule(hours=72)
    until = dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert appeal_closes(
        published, rule, AppealOverride(hours=24), MOSCOW
    ) == published + dt.timedelta(hours=24)  # noqa: E501
    both = AppealOverride(until=until, hours=24)
    assert appeal_closes(published, rule, both, MOSCOW) == until


def test_parse_window_reads_the_organisers_wall_clock() -> None:
    now = dt.datetime(2026, 12, 30, 0, 0, tzinfo=UTC)
    sakhalin = parse_window("05.01.2027 18:00", SAKHALIN, now)
    kaliningrad = parse_window("05.01.2027 18:00", KALININGRAD, now)
    assert sakhalin.until == dt.datetime(2027, 1, 5, 7, 0, tzinfo=UTC)
    assert kaliningrad.until == dt.datetime(2027, 1, 5, 16, 0, tzinfo=UTC)
    assert parse_window("48 ч", MOSCOW, now) == AppealOverride(hours=48)
    assert parse_window("3 д", MOSCOW, now) == AppealOverride(hours=72)


@pytest.mark.parametrize(
    "text", ["завтра", "31.02.2027 10:00", "0 ч", "999 д", "01.01.2020 10:00"]
)
def test_parse_window_refuses_what_is_not_a_window(text: str) -> None:
    with pytest.raises(Refused):
        parse_window(text, MOSCOW, dt.datetime(2026, 12, 30, tzinfo=UTC))


def test_codes_are_released_on_the_school_clock() -> None:
    day = dt.date(2026, 10, 17)
    assert release_instant(day, dt.time(8, 0), SAKHALIN) == dt.datetime(
        2026, 10, 16, 21, 0, tzinfo=UTC
    )  # noqa: E501
    assert release_instant(day, dt.time(8, 0), KALININGRAD) == dt.datetime(
        2026, 10, 17, 6, 0, tzinfo=UTC
    )  # noqa: E501
