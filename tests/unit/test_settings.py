"""Settings: defaults, parsing, and one clear line for a bad value."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.settings import SettingsError, load_settings

ENV_NAMES = (
    "BOT_TOKEN",
    "TELEGRAM_API_URL",
    "DATABASE_URL",
    "ADMIN_IDS",
    "DEFAULT_LOCALE",
    "DEFAULT_TIMEZONE",
    "LOG_LEVEL",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_are_offline_sqlite_russian() -> None:
    s = load_settings()
    assert s.offline
    assert s.database_url.startswith("sqlite+aiosqlite:///data/")
    assert s.default_locale == "ru"
    assert str(s.telegram_api_url) == "https://api.telegram.org/"


def test_reads_env_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    (tmp_path / ".env").write_text("ADMIN_IDS=5, 7;9\nDEFAULT_TIMEZONE=Asia/Sakhalin\n")
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081")
    s = load_settings()
    assert s.admin_ids == frozenset({5, 7, 9})
    assert s.default_timezone == "Asia/Sakhalin"
    assert not s.offline
    assert s.bot_token is not None and s.bot_token.get_secret_value() == "123:abc"
    assert str(s.telegram_api_url).startswith("http://127.0.0.1:8081")


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE"),
        ("DEFAULT_LOCALE", "de", "DEFAULT_LOCALE"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("TELEGRAM_API_URL", "not a url", "TELEGRAM_API_URL"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("BOT_TOKEN", "nocolon", "BOT_TOKEN"),
    ],
)
def test_bad_values_name_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert message.startswith(f"Invalid setting {fragment}:")
    assert "\n" not in message


def test_cli_prints_one_line_not_a_traceback(tmp_path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DEFAULT_TIMEZONE": "Nowhere/Land"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Invalid setting DEFAULT_TIMEZONE: not an IANA time zone name such as Asia/Sakhalin"
    ]
    assert "Traceback" not in result.stderr
