"""The chat state one bot has on Telegram, and the checks every Bot API method shares."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from offline.commands import CommandStore
from offline.html_check import (
    EntityParseError,
    ParsedText,
    parse_html,
    trim_text,
    utf16_len,
)
from offline.media import make_stored_file
from offline.params import Params
from offline.state import (
    ApiError,
    ChatMessage,
    FakeUser,
    RecordedCall,
    StoredFile,
    bad_request,
)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024


def now() -> int:
    return int(time.time())


@dataclass
class CallbackQueryInfo:
    user_id: int
    message_id: int
    data: str
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False


class ChatCore:
    """Users, chat histories and files as Telegram keeps them for one bot."""

    def __init__(
        self,
        token: str,
        *,
        bot_username: str,
        bot_first_name: str,
        strict_ampersand: bool = True,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.strict_ampersand = strict_ampersand
        self.users: dict[int, FakeUser] = {}
        self.history: dict[int, list[ChatMessage]] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands = CommandStore(self.users)
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.callback_queries: dict[str, CallbackQueryInfo] = {}
        self._last_message_id: dict[int, int] = {}

    # ------------------------------------------------------------------ objects

    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def message_api(self, message: ChatMessage) -> dict[str, Any]:
        user = self.users[message.chat_id]
        sender = self.bot_user() if message.from_bot else user.as_user()
        return message.as_api(sender, user.as_chat())

    def next_message_id(self, chat_id: int) -> int:
        # Private chats number messages of both sides in one sequence.
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def add_message(self, message: ChatMessage) -> ChatMessage:
        self.history.setdefault(message.chat_id, []).append(message)
        return message

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        for message in self.history.get(chat_id, []):
            if message.message_id == message_id:
                return message
        return None

    def store_file(self, filename: str, content: bytes, mime_type: str | None) -> StoredFile:
        stored = make_stored_file(filename, content, mime_type, len(self.files))
        self.files[stored.file_id] = stored
        return stored

    # ------------------------------------------------------------------ checks

    def resolve_chat(self, params: Params, *, sending: bool) -> FakeUser:
        raw = params.text("chat_id")
        if raw is None:
            raise bad_request("chat_id is empty")
        user: FakeUser | None = None
        if raw.startswith("@"):
            name = raw[1:].casefold()
            user = next(
                (u for u in self.users.values() if (u.username or "").casefold() == name), None
            )
        else:
            try:
                user = self.users.get(int(raw))
            except ValueError:
                user = None
        if user is None:
            raise bad_request("chat not found")
        if sending and user.blocked_bot:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if sending and not user.has_started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return user

    def format_text(
        self, text: str, parse_mode: str | None, entities: Any, *, caption: bool = False
    ) -> ParsedText:
        mode = (parse_mode or "").lower()
        if mode == "html":
            try:
                parsed = parse_html(text, strict_ampersand=self.strict_ampersand)
            except EntityParseError as exc:
                raise ApiError(400, exc.description) from None
        elif mode == "":
            parsed = ParsedText(text, _explicit_entities(entities, text))
        elif mode in ("markdown", "markdownv2"):
            raise bad_request(
                "can't parse entities: only the HTML parse mode is implemented by this server"
            )
        else:
            raise bad_request("unsupported parse_mode")
        parsed = trim_text(parsed)
        limit = MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH
        if utf16_len(parsed.text) > limit:
            raise bad_request("message caption is too long" if caption else "message is too long")
        return parsed

    def _check_reply_to(self, params: Params, chat_id: int) -> None:
        reply = params.json_value("reply_parameters", "reply parameters")
        target = params.integer("reply_to_message_id")
        allow_missing = params.flag("allow_sending_without_reply")
        if isinstance(reply, dict):
            target = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply"))
        if target is None or allow_missing:
            return
        found = self.find_message(chat_id, int(target))
        if found is None or found.deleted:
            raise bad_request("message to be replied not found")

    def _record_message(self, call: RecordedCall, message: ChatMessage) -> dict[str, Any]:
        call.message = message.snapshot()
        call.chat_id = message.chat_id
        return self.message_api(message)


def _explicit_entities(raw: Any, text: str) -> list[dict[str, Any]]:
    if raw is None:
        return []
    try:
        entities = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise bad_request("can't parse entities JSON object") from None
    if not isinstance(entities, list):
        raise bad_request("can't parse entities: expected an Array of MessageEntity")
    length = utf16_len(text)
    checked: list[dict[str, Any]] = []
    for entity in entities:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            raise bad_request("can't parse entities: MessageEntity must be an Object with a type")
        offset, size = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(size, int) or offset < 0 or size < 0:
            raise bad_request("can't parse entities: wrong offset or length")
        if offset + size > length:
            raise bad_request(
                f"can't parse entities: Entity beginning at UTF-16 offset {offset} ends after "
                f"the end of the text at UTF-16 offset {offset + size}"
            )
        if size:
            checked.append(dict(entity))
    return checked
