"""The offline console chat, driven through stdin/stdout of a real `python -m bot` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT


def _run_console(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.sqlite3'}",
        "BOT_TOKEN": "",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )


def test_console_onboarding_by_button_numbers(tmp_path: Path) -> None:
    result = _run_console(tmp_path, "/start\n1\n1\n1\n1\n3\n7\n/settings\n:quit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Offline console chat" in out
    assert "[1] Русский  [2] English" in out
    assert "В каком вы классе?" in out
    assert "✅ Готово, Аня!" in out
    assert "Часовой пояс: Сахалин (UTC+11)" in out
    assert "Traceback" not in out + result.stderr
    assert (tmp_path / "console.sqlite3").exists()
    assert (tmp_path / "data" / "console" / "bot.log").exists()


def test_console_personas_and_help(tmp_path: Path) -> None:
    result = _run_console(tmp_path, ":help\n:as curator\n/help\n:as nobody\n42\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert ":as student|parent|curator|municipal|regional|admin|mother" in out
    assert "you are now: the curator of the first demo school" in out
    assert "Команды" in out
    # No button numbered 42 on the last message: the number goes to the bot as text.
    assert "there is no button number 42" not in out
    assert "Я не понял" in out


def test_console_ends_cleanly_at_end_of_input(tmp_path: Path) -> None:
    result = _run_console(tmp_path, "/start\n")
    assert result.returncode == 0, result.stderr
    assert "Выберите язык" in result.stdout


def test_console_demo_has_a_collection_and_completeness(tmp_path: Path) -> None:
    script = ":as regional\n/collections\n1\n:as curator\n/completeness\n:quit\n"
    result = _run_console(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Сбор расписания проведения ВПР (демо)" in out
    assert "Всего: 4" in out and "Сдано: 1" in out and "В работе: 1" in out
    assert "Заполненность карточек в АИС СГО" in out


def test_console_mother_gives_her_sons_consent(tmp_path: Path) -> None:
    script = ":as mother\n/consent\n1\n1\n:as curator\n/consent\n:quit\n"
    result = _run_console(tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "👤 Петя Смирнов — ⏳ нужно до" in out
    assert "Согласие родителя (законного представителя)" in out
    assert "✅ Спасибо: согласие записано." in out
    assert "Петя Смирнов — ✅ дано в боте" in out  # the curator's list
    assert "Traceback" not in out + result.stderr
