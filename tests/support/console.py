"""Runs the offline console chat in-process on a script of typed lines, with a given clock."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.console import run_console
from bot.settings import Settings
from calendars.clock import FixedClock, TravelClock

# 10:00 in Yuzhno-Sakhalinsk, the demo region.
CONSOLE_NOW = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)
ONBOARD_STUDENT = "/start\n1\n1\n1\n1\n3\n7\n"


async def run_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, **settings: object
) -> str:
    """The console's output for `script`; documents land in tmp_path/data/console/downloads."""
    monkeypatch.chdir(tmp_path)
    values: dict[str, object] = {
        "bot_token": None,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite3'}",
    }
    values.update(settings)
    out = io.StringIO()
    clock = TravelClock(FixedClock(CONSOLE_NOW))
    await run_console(
        Settings(_env_file=None, **values),  # type: ignore[call-arg]
        io.StringIO(script),
        out,
        clock=clock,
    )
    return out.getvalue()
