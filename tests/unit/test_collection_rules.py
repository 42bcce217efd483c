"""The pure rules of the data calendars: Moscow input, nudge days per zone, the completeness
bands at their edges, and the switch reminders' days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calendars.loader import load_calendar
from services.collections.nudges import nudge_instants
from services.collections.times import parse_moscow
from services.completeness.bands import Band, band_of, parse_percent, percent_text
from services.completeness.switch import reminders_of
from services.errors import Refused

UTC = dt.UTC
PRESET = Path(__file__).resolve().parents[2] / "data/reference/calendars/school_year_switch.yaml"


def test_moscow_input_is_stored_in_utc() -> None:
    assert parse_moscow("07.09.2026 18:00") == dt.datetime(2026, 9, 7, 15, 0, tzinfo=UTC)
    assert parse_moscow(" 2026-09-07  18.00 ") == dt.datetime(2026, 9, 7, 15, 0, tzinfo=UTC)
    for bad in ("31.02.2026 10:00", "завтра", "07.09.2026", "07.09.2026 25:00"):
        with pytest.raises(Refused):
            parse_moscow(bad)


@pytest.mark.parametrize(
    ("zone", "days"),
    [("Asia/Sakhalin", (8, 10)), ("Asia/Tomsk", (7, 9)), ("Europe/Moscow", (7, 9))],
)
def test_nudges_fall_at_ten_local_counted_from_the_local_closing_day(
    zone: str, days: tuple[int, int]
) -> None:
    opens = dt.datetime(2026, 10, 1, tzinfo=UTC)
    closes = parse_moscow("10.10.2026 18:00")  # 02:00 on the 11th in Yuzhno-Sakhalinsk
    found = nudge_instants(opens, closes, zone)
    local = [at.astimezone(ZoneInfo(zone)) for _d, at in found]
    assert [(t.day, t.hour, t.minute) for t in local] == [(days[0], 10, 0), (days[1], 10, 0)]
    assert all(opens <= at < closes for _d, at in found)


def test_nudges_before_the_opening_are_not_planned() -> None:
    closes = parse_moscow("10.10.2026 18:00")
    opens = closes - dt.timedelta(hours=40)  # 02:00 Moscow time on the 9th
    assert [d for d, _at in nudge_instants(opens, closes, "Europe/Moscow")] == [1]


@pytest.mark.parametrize(
    ("text", "tenths", "band"),
    [("90", 900, Band.HIGH), ("89,9", 899, Band.MEDIUM), ("89.99 %", 899, Band.MEDIUM),
     ("80", 800, Band.MEDIUM), ("79,9", 799, Band.LOW), ("100", 1000, Band.HIGH),
     ("0", 0, Band.LOW)],
)  # fmt: skip
def test_bands_at_their_edges(text: str, tenths: int, band: Band) -> None:
    assert parse_percent(text) == tenths
    assert band_of(tenths) == band


def test_bad_percentages_are_refused() -> None:
    for bad in ("100,1", "сто", "-5", "", "1000"):
        with pytest.raises(Refused):
            parse_percent(bad)
    assert percent_text(899) == "89,9" and percent_text(900) == "90"


def test_switch_reminders_days() -> None:
    calendar = load_calendar(PRESET)
    track = calendar.tracks["odo"]
    opens = reminders_of(track.step("switch_opens"), 2026, "Asia/Sakhalin")
    assert [(d, at.astimezone(ZoneInfo("Asia/Sakhalin")).date()) for d, at, _s in opens] == [
        (0, dt.date(2027, 4, 1))
    ]
    closed = reminders_of(track.step("old_year_closed"), 2026, "Asia/Tomsk")
    local = [at.astimezone(ZoneInfo("Asia/Tomsk")) for _d, at, _s in closed]
    assert [(t.month, t.day, t.hour) for t in local] == [(8, 29, 10), (9, 4, 10)]
