"""Reading a calendar's own quiet hours as a person types them."""

from __future__ import annotations

import datetime as dt

import pytest

from reminders.quiet import QuietHours
from services.errors import Refused
from services.reminder_settings.calendar_quiet import parse_hours


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("18–09", (18, 0), (9, 0)),
        ("18-9", (18, 0), (9, 0)),
        (" 22:30 — 07:00 ", (22, 30), (7, 0)),
        ("0-6", (0, 0), (6, 0)),
        ("09–18", (9, 0), (18, 0)),
    ],
)
def test_hours_are_read(text: str, start: tuple[int, int], end: tuple[int, int]) -> None:
    assert parse_hours(text) == QuietHours(dt.time(*start), dt.time(*end))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "quiet_bad_format"),
        ("с шести вечера", "quiet_bad_format"),
        ("18", "quiet_bad_format"),
        ("18–09–10", "quiet_bad_format"),
        ("25–09", "quiet_bad_time"),
        ("18:60–09", "quiet_bad_time"),
        ("9-9", "quiet_same_hours"),
        ("09:00–9", "quiet_same_hours"),
    ],
)
def test_bad_hours_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(Refused) as refused:
        parse_hours(text)
    assert refused.value.reason == reason
