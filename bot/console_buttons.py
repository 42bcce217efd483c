"""What a bare number typed in the console means: a button press, or text for the bot."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.fsm.storage.base import StorageKey

from bot.app import App
from handlers.parents import ParentFlow
from handlers.states_curator import ClaimFlow
from handlers.states_results import ResultsFlow
from handlers.states_stage import EventEditFlow
from offline.api_server import FakeBotAPI
from offline.markup import inline_buttons, keyboard_buttons

# States in which the bot waits for a typed answer that may well be a bare number.
TYPED_ANSWERS = frozenset(
    state.state
    for state in (
        ResultsFlow.score,
        ResultsFlow.max_score,
        ResultsFlow.passing,
        EventEditFlow.waiting_value,
        ParentFlow.code,
        ClaimFlow.code,
    )
)


@dataclass(frozen=True)
class Press:
    """An inline button (its number on a message), or a reply keyboard button (its text)."""

    number: int
    message_id: int
    text: str | None = None


async def button_to_press(app: App, server: FakeBotAPI, user_id: int, line: str) -> Press | None:
    """The button a bare number presses, or None when the number is text to send."""
    if not line.isdigit():
        return None
    last = server.last_bot_message(user_id)
    number = int(line)
    if last is None or not 1 <= number <= len(keyboard_buttons(last.reply_markup)):
        return None
    key = StorageKey(bot_id=app.bot.id, chat_id=user_id, user_id=user_id)
    if await app.dp.storage.get_state(key) in TYPED_ANSWERS:
        return None
    if inline_buttons(last.reply_markup):
        return Press(number, last.message_id)
    # A reply keyboard button sends its own text.
    return Press(number, last.message_id, keyboard_buttons(last.reply_markup)[number - 1]["text"])
