"""A reply Telegram makes us wait too long for is handed to the outbox, not dropped.

A flood wait (429) longer than an update may reasonably stay open would hold the update's
handling for minutes; a text reply to a person is instead queued in the outbox, due when the
wait ends, and the delivery worker (which honours `retry_after` itself) sends it then. Edits,
callback answers and files are tied to the moment and are not queued.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import uuid
from typing import Any

from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from models.people import User
from reminders.outbox import Button, enqueue_message

log = logging.getLogger(__name__)


class ReplyHandoff:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessionmaker, self._clock = sessionmaker, clock

    async def __call__(self, method: TelegramMethod[Any], wait: float) -> bool:
        """Queues `method` when it is a text reply to a known person; True when queued."""
        if not isinstance(method, SendMessage) or not isinstance(method.chat_id, int):
            return False
        buttons = _buttons(method.reply_markup)
        if buttons is None:
            return False
        text = html.escape(method.text) if method.parse_mode is None else method.text
        now = self._clock.now()
        async with self._sessionmaker() as session, session.begin():
            user_id = await session.scalar(select(User.id).where(User.tg_id == method.chat_id))
            if user_id is None:
                return False
            await enqueue_message(
                session, user_id, f"reply:{uuid.uuid4().hex}", text,
                now + dt.timedelta(seconds=wait), buttons=buttons, topic="reply", now=now,
            )  # fmt: skip
        log.warning("reply queued in the outbox: Telegram asked to wait %.0fs", wait)
        return True


def _buttons(markup: object) -> list[list[Button]] | None:
    """The inline keyboard as outbox buttons; None when the reply has a keyboard the outbox
    cannot carry (a reply keyboard, a web app button)."""
    if markup is None:
        return []
    if not isinstance(markup, InlineKeyboardMarkup):
        return None
    rows: list[list[Button]] = []
    for row in markup.inline_keyboard:
        rows.append([])
        for button in row:
            if button.callback_data is not None:
                rows[-1].append({"text": button.text, "callback_data": button.callback_data})
            elif button.url is not None:
                rows[-1].append({"text": button.text, "url": button.url})
            else:
                return None
    return rows
