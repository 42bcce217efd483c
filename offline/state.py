"""Plain data kept by the fake Bot API server: users, chats, messages, files, calls, faults."""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = int | Literal["timeout", "drop", "gateway"]


class ApiError(Exception):
    """A Bot API error answer; ``description`` carries Telegram's full wording."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, "Bad Request: " + description)


@dataclass
class FakeUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "ru"
    blocked_bot: bool = False
    has_started: bool = True

    def as_user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def as_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_name: str
    content: bytes
    mime_type: str
    file_path: str

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class ChatMessage:
    """One message as the user sees it in the chat, whoever sent it."""

    message_id: int
    chat_id: int
    date: int
    from_bot: bool
    kind: Literal["text", "document", "photo"] = "text"
    text: str = ""
    """Plain text (or caption) after entity parsing, as displayed."""
    html: str = ""
    """The text or caption exactly as the bot sent it (raw HTML when parse_mode is HTML)."""
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    photo_size: tuple[int, int] = (0, 0)
    edited: bool = False
    edit_date: int | None = None
    deleted: bool = False

    def snapshot(self) -> ChatMessage:
        return copy.copy(self)

    @property
    def button_texts(self) -> list[str]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or (self.reply_markup or {}).get(
            "keyboard"
        )
        return [button["text"] for row in rows or [] for button in row]

    def as_api(self, sender: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
        """The Bot API ``Message`` object for this message."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": sender,
            "date": self.date,
            "chat": chat,
        }
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        text_key, entities_key = "text", "entities"
        if self.kind == "document" and self.document is not None:
            message["document"] = _document_api(self.document)
            text_key, entities_key = "caption", "caption_entities"
        elif self.kind == "photo" and self.photo is not None:
            width, height = self.photo_size
            message["photo"] = [
                {
                    "file_id": self.photo.file_id,
                    "file_unique_id": self.photo.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": self.photo.size,
                }
            ]
            text_key, entities_key = "caption", "caption_entities"
        if self.text or self.kind == "text":
            message[text_key] = self.text
        if self.entities:
            message[entities_key] = copy.deepcopy(self.entities)
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = copy.deepcopy(self.reply_markup)
        return message


def _document_api(stored: StoredFile) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_name": stored.file_name,
        "mime_type": stored.mime_type,
        "file_size": stored.size,
    }


@dataclass
class RecordedCall:
    """One HTTP call the bot made, decoded."""

    method: str
    params: dict[str, Any]
    timestamp: float
    """``time.monotonic()`` when the request arrived."""
    ok: bool = False
    status: int = 0
    result: Any = None
    description: str | None = None
    injected: bool = False
    """True when the answer came from :meth:`FakeBotAPI.inject`, not from the method itself."""
    message: ChatMessage | None = None
    """Snapshot of the message a successful send/edit produced."""
    chat_id: int | None = None


@dataclass
class Fault:
    method: str | None
    error: FaultKind
    remaining: int
    retry_after: int = 1
    description: str | None = None
    delay: float = 3600.0
    chat_id: int | None = None

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.remaining <= 0:
            return False
        if self.method is None:
            # Faults for "any method" leave polling alone, otherwise the bot would never
            # receive the update that makes it call the method under test.
            if method == "getUpdates":
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id


@dataclass
class RateLimits:
    """Flood-control model. Off unless ``enabled``; the per-chat part is off by default."""

    enabled: bool = False
    global_per_second: int = 30
    per_chat_per_second: float | None = None
    per_chat_burst: int = 3
    methods: frozenset[str] = frozenset({"sendMessage", "sendDocument", "sendPhoto"})


@dataclass
class PendingUpdate:
    update_id: int
    kind: str
    payload: dict[str, Any]
    call_index: int
    """Length of the call log when the update was queued: calls after it are its response."""
    done: asyncio.Future[bool]
    """Resolves to True once processed, False when dropped (not delivered)."""
    delivered: bool = False


@dataclass
class UpdateResult:
    """What happened between queuing an update and the bot confirming it."""

    update: dict[str, Any]
    calls: list[RecordedCall]
    delivered: bool = True

    @property
    def messages(self) -> list[ChatMessage]:
        return [call.message for call in self.calls if call.message is not None]

    @property
    def sent(self) -> list[ChatMessage]:
        return [
            call.message
            for call in self.calls
            if call.message is not None and call.method.startswith("send")
        ]

    @property
    def edited(self) -> list[ChatMessage]:
        return [
            call.message
            for call in self.calls
            if call.message is not None and call.method.startswith("edit")
        ]

    @property
    def callback_answers(self) -> list[RecordedCall]:
        return [call for call in self.calls if call.method == "answerCallbackQuery" and call.ok]

    @property
    def errors(self) -> list[RecordedCall]:
        return [call for call in self.calls if not call.ok]
