"""`python -m bot migrate` and `load-data`: real processes, clear errors, nothing half-loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT


def _bot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}",
        "PYTHONPATH": str(PROJECT_ROOT),
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )


def test_migrate_creates_the_database(tmp_path: Path) -> None:
    result = _bot(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cli.sqlite3").stat().st_size > 0


def test_load_data_reports_what_it_loaded(tmp_path: Path) -> None:
    geo = tmp_path / "geo.yaml"
    geo.write_text(
        'regions:\n  "70":\n    - code: tomsk\n'
        "      name: Город Томск\n      schools:\n"
        "        - {code: s4, name: МАОУ СОШ № 4}\n",
        encoding="utf-8",
    )
    first = _bot(tmp_path, "load-data", str(PROJECT_ROOT / "data" / "reference"))
    assert first.returncode == 0, first.stderr
    second = _bot(tmp_path, "load-data", str(geo))
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip()


def test_bad_file_names_the_problem_and_loads_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "geo.yaml"
    bad.write_text('regions:\n  "70":\n    - code: tomsk\n      nme: X\n', encoding="utf-8")
    result = _bot(tmp_path, "load-data", str(bad))
    assert result.returncode == 1
    assert "geo.yaml" in result.stderr
    assert "Nothing was loaded." in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_path(tmp_path: Path) -> None:
    result = _bot(tmp_path, "load-data", "nowhere.yaml")
    assert result.returncode == 2
    assert "No such file or folder: nowhere.yaml" in result.stderr
