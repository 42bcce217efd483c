"""A progress message: one message edited as a long piece of work goes on.

Telegram limits how often a message may change, so an edit is sent only when the percentage
moved by `STEP` (or reached 100), never when it would change nothing, and after a 429 no edit is
sent until `retry_after` has passed (the work goes on; the next edit shows where it is).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.types import Message

from ui.templating import render

STEP = 10  # per cent between two edits


class Progress:
    """Edits one message as the percentage grows, skipping edits that would change nothing."""

    def __init__(
        self,
        edit: Callable[[str], Awaitable[object]],
        template: str = "exports/progress.html",
        shown: int = -STEP,  # the percentage the message already shows
    ) -> None:
        self.edit = edit
        self.template = template
        self.shown = shown
        self.quiet_until = 0.0  # monotonic time before which Telegram asked us to wait

    async def update(self, pct: int) -> None:
        if pct - self.shown < STEP and pct != 100 or pct == self.shown:  # noqa: PLR2004 - the end
            return
        if time.monotonic() < self.quiet_until:
            return
        try:
            with contextlib.suppress(TelegramBadRequest):
                await self.edit(render(self.template, pct=pct))
        except TelegramRetryAfter as flood:
            self.quiet_until = time.monotonic() + flood.retry_after
            return
        self.shown = pct

    @classmethod
    def of_message(cls, message: Message, template: str = "exports/progress.html") -> Progress:
        return cls(message.edit_text, template)

    @classmethod
    def of(cls, bot: Bot, chat_id: int, message_id: int, template: str, shown: int) -> Progress:
        """The progress of work outside an update (a background job): edits by ids."""

        async def edit(text: str) -> object:
            return await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)

        return cls(edit, template, shown)
