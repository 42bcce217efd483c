"""Heavy modules load only when first needed, so an idle bot stays small (bench/memory.py).

Each check runs in a fresh interpreter: what the test process imported must not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Loaded by the screens or commands that need them, never by the assembled bot at rest.
HEAVY = (
    "matplotlib", "openpyxl", "numpy", "icalendar", "alembic", "PIL", "redis", "prometheus_client",
    "babel.messages", "sqlalchemy.dialects.postgresql",
)  # fmt: skip


def loaded_after(code: str, *, env: dict[str, str] | None = None) -> list[str]:
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )  # fmt: skip
    found: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_the_bot_assembly_imports_no_heavy_module() -> None:
    assert loaded_after("import bot.app, bot.__main__, handlers") == []


def test_a_started_bot_on_a_current_database_loads_no_heavy_module(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=ROOT, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
    )  # fmt: skip
    start = (
        "import asyncio\n"
        "from bot.app import build_app\n"
        "from bot.settings import load_settings\n"
        "async def main():\n"
        f"    settings = load_settings(_env_file=None, database_url={url!r},\n"
        "        bot_token='1:x', telegram_api_url='http://127.0.0.1:9')\n"
        "    app = await build_app(settings)\n"
        "    await app.start_background()\n"
        "    await app.close()\n"
        "asyncio.run(main())"
    )
    assert loaded_after(start) == []


def test_alembic_still_runs_when_there_is_something_to_apply(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite3'}"
    code = (
        "import asyncio\nfrom bot.migrate import upgrade_database\n"
        f"asyncio.run(upgrade_database({url!r}))"
    )
    assert "alembic" in loaded_after(code)
