"""Under a burst, SQLite refused a write with "database is locked" (a transaction that had read
before another connection committed) and the press was answered with an error and lost. A
conflict before the update showed anything now runs the update again; after it showed
something it is not repeated (the user would see it twice)."""

from __future__ import annotations

import datetime as dt

import pytest
from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from models.people import User
from tests.support.chat import ChatDriver

runs: dict[str, int] = {}
NOW = dt.datetime(2026, 10, 5, tzinfo=dt.UTC)


def locked() -> OperationalError:
    return OperationalError("UPDATE …", {}, Exception("database is locked"))


@pytest.fixture
def extra_routers() -> list[Router]:
    router = Router(name="conflicts")

    @router.message(Command("conflict_once"))
    async def conflict_once(message: Message, session: AsyncSession) -> None:
        runs["once"] = runs.get("once", 0) + 1
        session.add(User(tg_id=880_000 + runs["once"], full_name="x", created_at=NOW))
        await session.flush()
        if runs["once"] == 1:
            raise locked()
        await message.answer("готово")

    @router.message(Command("conflict_after_reply"))
    async def conflict_after_reply(message: Message) -> None:
        runs["after"] = runs.get("after", 0) + 1
        await message.answer("первая часть")
        raise locked()

    return [router]


async def test_a_conflict_before_any_reply_runs_the_update_again(
    app: App, chat: ChatDriver
) -> None:
    runs.clear()
    reply = await chat.send("/conflict_once")
    assert reply.text == "готово"
    assert runs["once"] == 2  # noqa: PLR2004
    async with app.sessionmaker() as session:
        kept = await session.scalars(select(User.tg_id).where(User.tg_id >= 880_000))
        assert list(kept) == [880_002]  # the first run's write was rolled back


async def test_a_conflict_after_a_reply_is_not_repeated(chat: ChatDriver) -> None:
    runs.clear()
    await chat.send("/conflict_after_reply")
    assert runs["after"] == 1
