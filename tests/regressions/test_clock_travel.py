"""Rehearsing a season: the console's `:clock` travels, and CLOCK_START starts the clock at an
instant; either way the one clock of the bot moves, and what became due arrives."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clocks import clock_for
from bot.settings import SettingsError, load_settings
from tests.support.console import ONBOARD_STUDENT, run_script


async def test_clock_shows_jumps_and_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = ":clock\n:clock +3d\n:clock +2h\n:clock 2026-12-10 08:00\n:clock soon\n:clock now\n"
    out = await run_script(tmp_path, monkeypatch, script + ":quit\n")
    assert "bot time: 2026-10-06 10:00 Asia/Sakhalin (UTC+11) · real time" in out
    assert "bot time: 2026-10-09 10:00 Asia/Sakhalin (UTC+11) · travelling" in out
    assert "bot time: 2026-10-09 12:00 Asia/Sakhalin (UTC+11) · travelling" in out
    assert "bot time: 2026-12-10 08:00 Asia/Sakhalin (UTC+11) · travelling" in out
    assert "use :clock, :clock +3d" in out
    assert out.count("bot time: 2026-10-06 10:00 Asia/Sakhalin (UTC+11) · real time") == 2


async def test_travel_delivers_the_reminder_that_became_due(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # School mathematics is held 12 days after the demo is loaded (17 October here); by the
    # evening before, the stage-day reminder is due.
    script = ONBOARD_STUDENT + "/events\n4\n1\n:clock 2026-10-16 20:00\n:quit\n"
    out = await run_script(tmp_path, monkeypatch, script)
    after_travel = out.split("bot time: 2026-10-16 20:00")[1]
    assert "⏰ День проведения этапа — Математика, школьный этап" in after_travel


def test_clock_start_bad_value_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOCK_START", "2026-12-10 08:00")
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert message.startswith("Invalid setting CLOCK_START: expected an instant with its UTC")
    assert "\n" not in message


def test_clock_start_starts_the_clock_there_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("CLOCK_START", "2026-12-10T08:00+11:00")
    settings = load_settings(_env_file=None)
    with caplog.at_level(logging.WARNING):
        clock = clock_for(settings)
    start = datetime(2026, 12, 9, 21, 0, tzinfo=UTC)
    assert start <= clock.now() < start + timedelta(minutes=1)
    assert any(
        r.levelno == logging.WARNING and "CLOCK_START=2026-12-10T08:00:00+11:00" in r.getMessage()
        for r in caplog.records
    )


def test_real_time_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOCK_START", raising=False)
    clock = clock_for(load_settings(_env_file=None))
    assert not clock.travelling
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)
