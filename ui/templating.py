"""Message bodies rendered from Jinja2 templates, escaped for Telegram HTML."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext
from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def _ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular, plural, n)


def _locale() -> str:
    from aiogram.utils.i18n import get_i18n

    try:
        return get_i18n().current_locale
    except LookupError:
        return "ru"


def local_datetime(value: dt.datetime, tz: str, fmt: str = "d MMMM yyyy, HH:mm") -> str:
    return format_datetime(value.astimezone(ZoneInfo(tz)), fmt, locale=_locale())


def local_date(value: dt.date, fmt: str = "d MMMM yyyy") -> str:
    return format_date(value, fmt, locale=_locale())


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["local_datetime"] = local_datetime
    env.filters["local_date"] = local_date
    return env


def render(name: str, /, **context: Any) -> str:
    """Render `templates/<name>`; surrounding blank lines are dropped (Telegram shows them)."""
    return environment().get_template(name).render(**context).strip()
