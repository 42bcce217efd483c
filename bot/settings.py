"""Deployment settings, read from the environment and `.env`."""

from __future__ import annotations

import logging
import re
import socket
from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    AnyHttpUrl,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LOCALES = ("ru", "en")
DEFAULT_API_URL = "https://api.telegram.org"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
CLOCK_START_HINT = "expected an instant with its UTC offset, like 2026-12-10T08:00+11:00"


class SettingsError(Exception):
    """A setting has a value the bot cannot use; the message names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
    )

    bot_token: SecretStr | None = None
    telegram_api_url: AnyHttpUrl = AnyHttpUrl(DEFAULT_API_URL)
    database_url: str = "sqlite+aiosqlite:///data/bot.sqlite3"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_locale: str = "ru"
    default_timezone: str = "Europe/Moscow"
    log_level: str = "INFO"
    log_format: str = Field(default="text", pattern="^(text|json)$")
    throttle_rate: float = Field(default=0.5, ge=0)
    delivery_interval_seconds: float = Field(default=20.0, gt=0)
    invitation_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    reference_dir: Path = PROJECT_ROOT / "data" / "reference"
    # Shared state of the replicas (FSM, flood window, people cache); unset: all kept embedded.
    redis_url: str | None = None
    redis_prefix: str = Field(default="olymp", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    people_cache_seconds: int = Field(default=60, ge=0, le=3600)
    # /healthz and /metrics on this port (all interfaces); unset: not served.
    health_port: int | None = Field(default=None, ge=1, le=65535)
    # Rehearsals only: the bot's clock starts at this instant and runs on from there.
    clock_start: datetime | None = None
    # The process's one web server (webhook, health, metrics, the Mini App): off without a
    # port. WEBAPP_PORT is accepted as the older name.
    web_port: int | None = Field(
        default=None, ge=1, le=65535, validation_alias=AliasChoices("web_port", "webapp_port")
    )
    web_host: str = "127.0.0.1"
    # The panel's public https address, opened from the menu button and «Открыть панель».
    webapp_url: str | None = None
    # How long a Mini App's signed initData stays valid after Telegram issued it.
    webapp_auth_max_age_hours: float = Field(default=24.0, gt=0)
    # Webhook mode: Telegram posts updates to this public https URL (through a reverse proxy
    # to WEB_HOST:WEB_PORT); without it the bot polls.
    webhook_url: AnyHttpUrl | None = None
    webhook_secret: SecretStr | None = None
    # This process's name among the replicas: a restarted process takes back its own unfinished
    # updates at once. Each replica needs its own (the host name by default).
    instance_name: str = Field(default_factory=socket.gethostname, max_length=100)
    # Seconds a stopping process lets running updates finish; the rest stay in the inbox.
    stop_grace_seconds: float = Field(default=20.0, ge=0)
    # Seconds an update stays claimed by the replica handling it; a replica that died with it
    # in hand leaves it to the others after this long (its own restart takes it back at once).
    inbox_claim_seconds: float = Field(default=30.0, ge=1, le=3600)

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and ":" not in value:
            raise ValueError("expected the token BotFather gave, like 123456:ABC-DEF")
        return value

    @field_validator("web_port", "health_port", mode="before")
    @classmethod
    def _empty_port_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webapp_url", mode="before")
    @classmethod
    def _check_webapp_url(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not value.strip().startswith("https://"):
            raise ValueError("Telegram opens Mini Apps only from https:// addresses")
        return value.strip().rstrip("/") if isinstance(value, str) else value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            ids = []
            for part in parts:
                if not part.lstrip("-").isdigit():
                    raise ValueError(f"{part!r} is not a Telegram user id (a whole number)")
                ids.append(int(part))
            return frozenset(ids)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db")
        return value

    @field_validator("redis_url", mode="before")
    @classmethod
    def _check_redis_url(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("use redis://host:6379/0 (or rediss:// with TLS)")
        return value

    @field_validator("default_locale")
    @classmethod
    def _check_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"supported locales are {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("not an IANA time zone name such as Asia/Sakhalin") from exc
        return value

    @field_validator("clock_start", mode="before")
    @classmethod
    def _parse_clock_start(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(CLOCK_START_HINT) from None
        if isinstance(value, datetime) and value.tzinfo is None:
            raise ValueError(CLOCK_START_HINT)
        return value

    @field_validator("webhook_url", "webhook_secret", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: AnyHttpUrl | None) -> AnyHttpUrl | None:
        if value is not None and value.scheme != "https":
            raise ValueError("Telegram sends webhooks only to https:// URLs")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("1-256 characters: letters A-Z, a-z, digits, _ and -")
        return value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        value = value.upper()
        if value not in logging.getLevelNamesMapping():
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET: required with WEBHOOK_URL (Telegram sends it back)")
        return self

    @property
    def webhook(self) -> bool:
        return self.webhook_url is not None

    @property
    def serves_metrics(self) -> bool:
        """/metrics is served on HEALTH_PORT and on the web server (WEB_PORT, or a webhook)."""
        return self.health_port is not None or self.web_port is not None or self.webhook

    @property
    def offline(self) -> bool:
        return self.bot_token is None

    @property
    def sqlite_path(self) -> Path | None:
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        raw = self.database_url[len(prefix) :]
        return None if raw in ("", ":memory:") else Path(raw)


def load_settings(**overrides: object) -> Settings:
    """Build the settings or raise SettingsError with one line naming the bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = first["msg"].removeprefix("Value error, ")
        if not first["loc"] and ": " in message:  # a rule across settings names its own
            name, message = message.split(": ", 1)
        raise SettingsError(f"Invalid setting {name}: {message}") from None
