"""A SQLite file that cannot be opened leaves no driver thread behind the event loop.

aiosqlite stops the thread of a connection that failed to open by a message the thread answers
on the event loop. `scripts/bot migrate` ends right after the one clear line, so on a busy
machine the loop was sometimes closed first and the thread printed a traceback («Event loop is
closed») after that line (test_unusable_database_url.py failed now and then).
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from bot.migrate import upgrade_database
from bot.settings import SettingsError


def test_the_driver_thread_is_gone_when_the_error_is_raised(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    with pytest.raises(SettingsError, match="unable to open database file"):
        asyncio.run(upgrade_database(f"sqlite+aiosqlite:///{tmp_path}"))
    left = [t.name for t in threading.enumerate() if t not in before and t.is_alive()]
    assert left == []
