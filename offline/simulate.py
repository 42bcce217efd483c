"""What simulated users can do: write, press inline buttons, upload documents."""

from __future__ import annotations

import itertools
from typing import Any

from offline.bot_commands import find_bot_commands
from offline.chat_core import CallbackQueryInfo, now
from offline.markup import inline_buttons
from offline.methods import BotApiCore
from offline.state import ChatMessage, FakeUser, PendingUpdate, UpdateResult


class UserActionError(ValueError):
    """The simulated user tried something a real Telegram client would not let them do."""


class UserSimulation:
    core: BotApiCore

    _query_ids = itertools.count(4_200_000_000_000_000_001)

    def queue_update(self, kind: str, body: dict[str, Any]) -> PendingUpdate:
        raise NotImplementedError

    async def wait_processed(
        self, pending: PendingUpdate, *, timeout: float | None = None
    ) -> UpdateResult:
        raise NotImplementedError

    # ------------------------------------------------------------------ users

    def add_user(  # noqa: PLR0913 - the fields of a Telegram user
        self,
        user_id: int,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        *,
        has_started: bool = True,
    ) -> FakeUser:
        """Register a user; with ``has_started=False`` the bot may not write first (403)."""
        user = FakeUser(
            id=user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            has_started=has_started,
        )
        known = self.core.users.get(user_id)
        if known is not None:
            user.blocked_bot = known.blocked_bot
        self.core.users[user_id] = user
        return user

    def user(self, user_id: int) -> FakeUser:
        try:
            return self.core.users[user_id]
        except KeyError:
            msg = f"unknown user {user_id}: call add_user() first"
            raise UserActionError(msg) from None

    def block(self, user_id: int) -> None:
        self.user(user_id).blocked_bot = True

    def unblock(self, user_id: int) -> None:
        self.user(user_id).blocked_bot = False

    def _user_writes(self, user: FakeUser) -> None:
        # Writing to a bot (or pressing "Restart" after blocking it) opens the chat again.
        user.has_started = True
        user.blocked_bot = False

    # ------------------------------------------------------------------ actions

    async def user_sends_text(
        self, user_id: int, text: str, *, timeout: float | None = None
    ) -> UpdateResult:
        pending = self.queue_text(user_id, text)
        return await self.wait_processed(pending, timeout=timeout)

    def queue_text(self, user_id: int, text: str) -> PendingUpdate:
        """The user writes `text`; the update is queued, not waited for (many users at once)."""
        user = self.user(user_id)
        if not text.strip():
            msg = "Telegram clients do not send empty messages"
            raise UserActionError(msg)
        self._user_writes(user)
        message = ChatMessage(
            message_id=self.core.next_message_id(user_id),
            chat_id=user_id,
            date=now(),
            from_bot=False,
            text=text,
            html=text,
            entities=find_bot_commands(text),
        )
        self.core.add_message(message)
        return self.queue_update("message", self.core.message_api(message))

    async def user_sends_document(  # noqa: PLR0913
        self,
        user_id: int,
        filename: str,
        content: bytes,
        caption: str | None = None,
        *,
        mime_type: str | None = None,
        timeout: float | None = None,
    ) -> UpdateResult:
        user = self.user(user_id)
        if not content:
            msg = "Telegram does not accept empty files"
            raise UserActionError(msg)
        self._user_writes(user)
        stored = self.core.store_file(filename, content, mime_type)
        message = ChatMessage(
            message_id=self.core.next_message_id(user_id),
            chat_id=user_id,
            date=now(),
            from_bot=False,
            kind="document",
            text=caption or "",
            html=caption or "",
            document=stored,
        )
        self.core.add_message(message)
        pending = self.queue_update("message", self.core.message_api(message))
        return await self.wait_processed(pending, timeout=timeout)

    async def user_clicks(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        *,
        timeout: float | None = None,
    ) -> UpdateResult:
        """Press the inline button carrying ``callback_data`` under message ``message_id``."""
        _, pending = self.queue_click(user_id, message_id, callback_data)
        return await self.wait_processed(pending, timeout=timeout)

    def queue_click(
        self, user_id: int, message_id: int, callback_data: str
    ) -> tuple[str, PendingUpdate]:
        """Press the button without waiting; returns the callback query's id and the update."""
        self.user(user_id)
        message = self._clickable(user_id, message_id)
        if not any(b.get("callback_data") == callback_data for b in _buttons(message)):
            offered = [b.get("callback_data") for b in _buttons(message)]
            msg = (
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"it has {offered}"
            )
            raise UserActionError(msg)
        query_id = str(next(self._query_ids))
        self.core.callback_queries[query_id] = CallbackQueryInfo(
            user_id=user_id, message_id=message_id, data=callback_data
        )
        body = {
            "id": query_id,
            "from": self.user(user_id).as_user(),
            "message": self.core.message_api(message),
            "chat_instance": str(-(10**12) - user_id),
            "data": callback_data,
        }
        return query_id, self.queue_update("callback_query", body)

    async def user_clicks_button(
        self,
        user_id: int,
        button: str | int,
        *,
        message_id: int | None = None,
        timeout: float | None = None,
    ) -> UpdateResult:
        """Press a button by text (exact, else a unique substring) or 1-based position.

        Without ``message_id`` the newest bot message that has inline buttons is used.
        """
        message = (
            self._clickable(user_id, message_id)
            if message_id is not None
            else self.latest_keyboard_message(user_id)
        )
        chosen = pick_button(_buttons(message), button)
        data = chosen.get("callback_data")
        if not isinstance(data, str):
            msg = f"button {chosen['text']!r} is not a callback button: {chosen}"
            raise UserActionError(msg)
        return await self.user_clicks(user_id, message.message_id, data, timeout=timeout)

    def latest_keyboard_message(self, user_id: int) -> ChatMessage:
        for message in reversed(self.core.history.get(user_id, [])):
            if message.from_bot and not message.deleted and _buttons(message):
                return message
        msg = f"no message with inline buttons in the chat with {user_id}"
        raise UserActionError(msg)

    def _clickable(self, user_id: int, message_id: int) -> ChatMessage:
        message = self.core.find_message(user_id, message_id)
        if message is None or message.deleted:
            msg = f"message {message_id} is not in the chat with {user_id} (or was deleted)"
            raise UserActionError(msg)
        if not message.from_bot:
            msg = f"message {message_id} was sent by the user, it has no bot buttons"
            raise UserActionError(msg)
        return message


def _buttons(message: ChatMessage) -> list[dict[str, Any]]:
    return inline_buttons(message.reply_markup)


def pick_button(buttons: list[dict[str, Any]], button: str | int) -> dict[str, Any]:
    """Choose by 1-based row-major number, exact text, or unique substring of the text."""
    texts = [b["text"] for b in buttons]
    if isinstance(button, int):
        if not 1 <= button <= len(buttons):
            msg = f"there is no button number {button}; buttons: {texts}"
            raise UserActionError(msg)
        return buttons[button - 1]
    exact = [b for b in buttons if b["text"] == button]
    if len(exact) == 1:
        return exact[0]
    partial = [b for b in buttons if button.casefold() in b["text"].casefold()]
    if len(exact) > 1 or len(partial) > 1:
        msg = f"button text {button!r} is ambiguous among {texts}"
        raise UserActionError(msg)
    if not partial:
        msg = f"no button matches {button!r}; buttons: {texts}"
        raise UserActionError(msg)
    return partial[0]
