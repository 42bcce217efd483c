"""A database that cannot be opened stops the bot with one line naming DATABASE_URL (issue 15.4).

An unreachable server or a database that does not exist printed a 132-line traceback, where a
bad DEFAULT_TIMEZONE gives one clear line.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from tests.support.databases import PG_HOST, PG_PORT, PG_USER, postgres_reachable


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _bot(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(PROJECT_ROOT),
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def _one_clear_line(result: subprocess.CompletedProcess[str], shown_url: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Invalid setting DATABASE_URL: cannot open {shown_url}: ")
    return line


@pytest.mark.parametrize("command", [["migrate"], []])
def test_an_unreachable_server(tmp_path: Path, command: list[str]) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{_free_port()}/nope"
    line = _one_clear_line(_bot(tmp_path, url, *command), url)
    assert "Connect call failed" in line


def test_a_database_that_does_not_exist_hides_the_password(tmp_path: Path) -> None:
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT}")
    url = f"postgresql+asyncpg://{PG_USER}:secret@{PG_HOST}:{PG_PORT}/no_such_olympiad_db"
    result = _bot(tmp_path, url, "migrate")
    shown = url.replace(":secret@", ":***@")
    line = _one_clear_line(result, shown)
    assert line.endswith('database "no_such_olympiad_db" does not exist')


def test_a_sqlite_path_that_is_a_folder(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}"
    line = _one_clear_line(_bot(tmp_path, url, "migrate"), url)
    assert line.endswith("unable to open database file")
