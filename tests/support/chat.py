"""Conversation tests that read like a chat: one simulated user talking to the bot.

Example::

    chat = ChatDriver(server, user_id=1001)
    reply = await chat.send("/start")
    assert "Выберите" in reply.text
    reply = await chat.click("Математика")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offline.api_server import FakeBotAPI
from offline.markup import keyboard_buttons
from offline.methods import CallbackQueryInfo
from offline.state import ChatMessage, RecordedCall, StoredFile, UpdateResult


@dataclass
class Reply:
    """Everything the bot did in this chat while handling one user action."""

    result: UpdateResult
    messages: list[ChatMessage]
    """New and edited messages in this chat, as they looked right after each call."""

    @property
    def last(self) -> ChatMessage | None:
        return self.messages[-1] if self.messages else None

    @property
    def text(self) -> str:
        """Plain text of the last message sent or edited (``""`` when there was none)."""
        return self.last.text if self.last is not None else ""

    @property
    def html(self) -> str:
        return self.last.html if self.last is not None else ""

    @property
    def texts(self) -> list[str]:
        return [message.text for message in self.messages]

    @property
    def buttons(self) -> list[str]:
        """Button texts of the last message, row by row."""
        if self.last is None:
            return []
        return [button["text"] for button in keyboard_buttons(self.last.reply_markup)]

    @property
    def calls(self) -> list[RecordedCall]:
        return self.result.calls

    @property
    def answered(self) -> bool:
        return bool(self.result.callback_answers)

    @property
    def alert(self) -> str | None:
        """Text of the callback answer (toast or alert), if the bot gave one."""
        for call in self.result.callback_answers:
            text = call.params.get("text")
            if text:
                return str(text)
        return None

    @property
    def documents(self) -> list[StoredFile]:
        """Documents the bot sent (filename and bytes)."""
        return [
            call.message.document
            for call in self.result.calls
            if call.method == "sendDocument" and call.message and call.message.document
        ]

    @property
    def deleted(self) -> list[int]:
        return [
            int(call.params["message_id"])
            for call in self.result.calls
            if call.method == "deleteMessage" and call.ok
        ]

    @property
    def errors(self) -> list[RecordedCall]:
        """Calls Telegram refused while handling this action."""
        return self.result.errors

    def __str__(self) -> str:
        lines = [f"{len(self.messages)} message(s)"]
        for message in self.messages:
            buttons = [b["text"] for b in keyboard_buttons(message.reply_markup)]
            lines.append(f"  #{message.message_id}: {message.text!r} {buttons or ''}".rstrip())
        lines.extend(f"  refused {c.method}: {c.description}" for c in self.errors)
        return "\n".join(lines)


class ChatDriver:
    """One fake user in a private chat with the bot served by ``server``."""

    def __init__(  # noqa: PLR0913 - the fields of a Telegram user
        self,
        server: FakeBotAPI,
        user_id: int,
        *,
        first_name: str = "Тест",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        timeout: float | None = None,
    ) -> None:
        self.server = server
        self.user_id = user_id
        self.timeout = timeout
        if user_id not in server.core.users:
            server.add_user(
                user_id,
                first_name=first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
            )

    def _reply(self, result: UpdateResult) -> Reply:
        messages = [
            call.message
            for call in result.calls
            if call.ok
            and call.message is not None
            and call.chat_id == self.user_id
            and call.method != "deleteMessage"
        ]
        return Reply(result=result, messages=messages)

    async def send(self, text: str) -> Reply:
        return self._reply(
            await self.server.user_sends_text(self.user_id, text, timeout=self.timeout)
        )

    async def click(self, button: str | int, *, message_id: int | None = None) -> Reply:
        """Press an inline button by text (exact or unique substring) or 1-based number."""
        result = await self.server.user_clicks_button(
            self.user_id, button, message_id=message_id, timeout=self.timeout
        )
        return self._reply(result)

    async def click_data(self, callback_data: str, *, message_id: int | None = None) -> Reply:
        target = message_id
        if target is None:
            target = self.server.latest_keyboard_message(self.user_id).message_id
        result = await self.server.user_clicks(
            self.user_id, target, callback_data, timeout=self.timeout
        )
        return self._reply(result)

    async def upload(
        self, filename: str, content: bytes, caption: str | None = None, **kwargs: Any
    ) -> Reply:
        result = await self.server.user_sends_document(
            self.user_id, filename, content, caption, timeout=self.timeout, **kwargs
        )
        return self._reply(result)

    @property
    def last(self) -> ChatMessage | None:
        """The newest bot message still in the chat, in its current state."""
        return self.server.last_bot_message(self.user_id)

    @property
    def history(self) -> list[ChatMessage]:
        """The whole chat, both sides, in order; deleted messages are flagged, not removed."""
        return self.server.history(self.user_id)

    @property
    def buttons(self) -> list[str]:
        """Button texts of the newest message that has inline buttons."""
        message = self.server.latest_keyboard_message(self.user_id)
        return [button["text"] for button in keyboard_buttons(message.reply_markup)]

    def block(self) -> None:
        self.server.block(self.user_id)

    def unblock(self) -> None:
        self.server.unblock(self.user_id)


async def forged_click(chat: ChatDriver, callback_data: str) -> Reply:
    """What a modified client can send: any callback data under the newest keyboard message."""
    server = chat.server
    message = server.latest_keyboard_message(chat.user_id)
    query_id = str(next(server._query_ids))
    server.core.callback_queries[query_id] = CallbackQueryInfo(
        user_id=chat.user_id, message_id=message.message_id, data=callback_data
    )
    body = {
        "id": query_id,
        "from": server.user(chat.user_id).as_user(),
        "message": server.core.message_api(message),
        "chat_instance": str(-(10**12) - chat.user_id),
        "data": callback_data,
    }
    pending = server.queue_update("callback_query", body)
    return chat._reply(await server.wait_processed(pending))
