"""Numbers out of range in buttons and commands are refused as stale, never sent to the database.

A forged button whose id is beyond 64 bits (`inv:p:curator:s:1000…000:30906`, or the same on
catalog cards) reached SQLite and failed with `OverflowError: Python int too large to convert
to SQLite INTEGER`, a traceback in the log and no answer (issue 15.8).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from enum import Enum
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData
from sqlalchemy import func, select

import handlers
import models
from bot.app import App
from tests.support.app import ADMIN_TG_ID
from tests.support.chat import ChatDriver, forged_click

STALE = "Эта кнопка устарела. Отправьте /help, чтобы начать заново."
HUGE = [10**40, 2**63, 2**31, -(2**31) - 1, -(10**40)]


def all_callback_data() -> list[type[CallbackData]]:
    handlers.get_routers()  # imports every handler module, and with it every factory
    found, todo = [], list(CallbackData.__subclasses__())
    while todo:
        factory = todo.pop()
        found.append(factory)
        todo.extend(factory.__subclasses__())
    return sorted(found, key=lambda f: f.__prefix__)


def forged(factory: type[CallbackData], rng: random.Random) -> list[str]:
    """Callback data with one number out of range, and plausible values elsewhere."""
    numbers = [name for name, f in factory.model_fields.items() if f.annotation not in (str,)]
    numbers = [n for n in numbers if _is_number(factory, n)]
    payloads = []
    for name in numbers:
        for huge in rng.sample(HUGE, 3):
            parts = [_plausible(factory, field, rng) for field in factory.model_fields]
            parts[list(factory.model_fields).index(name)] = str(huge)
            payloads.append(":".join([factory.__prefix__, *parts]))
    return payloads


def _is_number(factory: type[CallbackData], name: str) -> bool:
    return "int" in str(factory.model_fields[name].annotation)


def _plausible(factory: type[CallbackData], name: str, rng: random.Random) -> str:
    annotation: Any = factory.model_fields[name].annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return str(rng.choice(list(annotation)).value)
    if _is_number(factory, name):
        return str(rng.choice([0, 1, 2, 3, 30906]))
    return rng.choice(["", "curator", "s", "sm1", "a"])


async def snapshot(app: App) -> dict[str, int]:
    async with app.sessionmaker() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in models.Base.metadata.sorted_tables
        }


def test_every_factory_has_a_bounded_number() -> None:
    factories = all_callback_data()
    assert len(factories) >= 19  # noqa: PLR2004 - as found by grep at the time of the fix
    for factory in factories:
        for name, field in factory.model_fields.items():
            if _is_number(factory, name):
                assert field.metadata, f"{factory.__name__}.{name} has no bounds"


async def test_forged_buttons_with_huge_numbers(
    app: App, make_chat: Callable[..., ChatDriver], caplog: pytest.LogCaptureFixture
) -> None:
    chat = make_chat(ADMIN_TG_ID)
    await chat.send("/start")  # the person exists and has a keyboard to forge a press under
    before = await snapshot(app)
    rng = random.Random(15_8)
    payloads = [
        "inv:p:curator:s:10000000000000000000000000000000000000000:30906",
        "ca:c:0:10000000000000000000000000000000000000000:0:a:0:a:-:c",
    ]
    for factory in all_callback_data():
        payloads += forged(factory, rng)
    caplog.set_level(logging.WARNING)
    for data in payloads:
        reply = await forged_click(chat, data[:64])
        assert reply.alert == STALE, data
        assert not reply.errors, data
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert await snapshot(app) == before


async def test_huge_numbers_in_stage_codes_and_commands(
    app: App, make_chat: Callable[..., ChatDriver], caplog: pytest.LogCaptureFixture
) -> None:
    chat = make_chat(ADMIN_TG_ID)
    await chat.send("/start")
    before = await snapshot(app)
    caplog.set_level(logging.WARNING)
    reply = await forged_click(chat, f"ss:s:sm{10**40}:0:0::")
    assert reply.alert == "Этот вариант больше недоступен. Начните заново: /start."
    for command in (f"/event {10**40}", f"/event_{10**40}", "/event 2147483648"):
        reply = await chat.send(command)
        assert reply.text.startswith("Укажите номер мероприятия"), command
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert await snapshot(app) == before
