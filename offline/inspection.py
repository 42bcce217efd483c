"""What tests read back from the fake server: the calls it got and the chats it keeps."""

from __future__ import annotations

from offline.methods import BotApiCore
from offline.state import ChatMessage, RecordedCall


class CallInspection:
    core: BotApiCore
    calls: list[RecordedCall]

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [call for call in self.calls if call.method == method]

    @property
    def bot_calls(self) -> list[RecordedCall]:
        """Every call except polling."""
        return [call for call in self.calls if call.method != "getUpdates"]

    def history(self, user_id: int) -> list[ChatMessage]:
        """The chat with ``user_id`` as stored: both sides, deleted ones flagged."""
        return list(self.core.history.get(user_id, []))

    def bot_messages(self, user_id: int, *, include_deleted: bool = False) -> list[ChatMessage]:
        return [
            message
            for message in self.core.history.get(user_id, [])
            if message.from_bot and (include_deleted or not message.deleted)
        ]

    def last_bot_message(self, user_id: int) -> ChatMessage | None:
        messages = self.bot_messages(user_id)
        return messages[-1] if messages else None

    def visible_commands(self, user_id: int, language_code: str = "") -> list[dict[str, str]]:
        return self.core.commands.visible(user_id, language_code)
