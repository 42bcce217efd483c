"""Bot API methods of the fake server: validation and the chat state they change."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.offline.commands import CommandStore
from bot.offline.html_check import (
    EntityParseError,
    ParsedText,
    parse_html,
    trim_text,
    utf16_len,
)
from bot.offline.markup import parse_reply_markup
from bot.offline.media import image_size, make_stored_file
from bot.offline.params import Params, Upload
from bot.offline.state import (
    ApiError,
    ChatMessage,
    FakeUser,
    RecordedCall,
    StoredFile,
    bad_request,
)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024

CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)

Handler = Callable[[Params, RecordedCall], Any]


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


class BotApiCore:
    """State of one bot as Telegram keeps it, and the methods that act on it."""

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
        self.handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "sendDocument": self.send_document,
            "sendPhoto": self.send_photo,
            "sendChatAction": self.send_chat_action,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
            "getFile": self.get_file,
            "getChat": self.get_chat,
            "setMyCommands": lambda params, _: self.commands.set(params),
            "getMyCommands": lambda params, _: self.commands.get(params),
            "deleteMyCommands": lambda params, _: self.commands.delete(params),
            "close": self.always_true,
            "logOut": self.always_true,
        }

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

    # ------------------------------------------------------------------ methods

    def always_true(self, params: Params, call: RecordedCall) -> bool:
        return True

    def get_me(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        return self.bot_user()

    def send_message(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        text = params.text("text")
        if text is None:
            raise bad_request("message text is empty")
        parsed = self.format_text(text, params.text("parse_mode"), params.text("entities"))
        if not parsed.text:
            raise bad_request("text must be non-empty")
        markup = parse_reply_markup(params.text("reply_markup"))
        user = self.resolve_chat(params, sending=True)
        self._check_reply_to(params, user.id)
        message = ChatMessage(
            message_id=self.next_message_id(user.id),
            chat_id=user.id,
            date=now(),
            from_bot=True,
            text=parsed.text,
            html=text,
            parse_mode=params.text("parse_mode"),
            entities=parsed.entities,
            reply_markup=markup,
        )
        return self._record_message(call, self.add_message(message))

    def _record_message(self, call: RecordedCall, message: ChatMessage) -> dict[str, Any]:
        call.message = message.snapshot()
        call.chat_id = message.chat_id
        return self.message_api(message)

    def _editable(self, params: Params) -> ChatMessage:
        if params.text("chat_id") is None and params.text("message_id") is None:
            params.required("inline_message_id")
            raise bad_request("MESSAGE_ID_INVALID")
        user = self.resolve_chat(params, sending=False)
        message_id = params.integer("message_id", 0) or 0
        message = self.find_message(user.id, message_id)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def edit_message_text(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        text = params.text("text")
        if text is None:
            raise bad_request("message text is empty")
        parsed = self.format_text(text, params.text("parse_mode"), params.text("entities"))
        if not parsed.text:
            raise bad_request("text must be non-empty")
        markup = parse_reply_markup(params.text("reply_markup"), inline_only=True)
        message = self._editable(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        # Like Telegram, an edit without reply_markup removes the inline keyboard.
        if (
            message.text == parsed.text
            and message.entities == parsed.entities
            and message.reply_markup == markup
        ):
            raise _not_modified()
        message.text, message.html, message.entities = parsed.text, text, parsed.entities
        message.parse_mode = params.text("parse_mode")
        message.reply_markup = markup
        message.edited, message.edit_date = True, now()
        return self._record_message(call, message)

    def edit_message_reply_markup(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        markup = parse_reply_markup(params.text("reply_markup"), inline_only=True)
        message = self._editable(params)
        if message.reply_markup == markup:
            raise _not_modified()
        message.reply_markup = markup
        message.edited, message.edit_date = True, now()
        return self._record_message(call, message)

    def delete_message(self, params: Params, call: RecordedCall) -> bool:
        user = self.resolve_chat(params, sending=False)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self.find_message(user.id, message_id)
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        call.chat_id = user.id
        call.message = message.snapshot()
        return True

    def answer_callback_query(self, params: Params, call: RecordedCall) -> bool:
        query_id = params.required("callback_query_id")
        info = self.callback_queries.get(query_id)
        if info is None or info.answered:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.text("text")
        if text is not None and utf16_len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        info.answered = True
        info.answer_text = text
        info.show_alert = params.flag("show_alert")
        call.chat_id = info.user_id
        return True

    def _input_file(self, params: Params, field: str) -> Upload | StoredFile:
        value = params.input_file(field)
        if value is None:
            raise bad_request(f"there is no {field} in the request")
        if isinstance(value, Upload):
            if not value.content:
                raise bad_request("file must be non-empty")
            if len(value.content) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            return value
        if value in self.files:
            return self.files[value]
        if value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _send_media(self, params: Params, call: RecordedCall, field: str) -> dict[str, Any]:
        source = self._input_file(params, field)
        caption = params.text("caption") or ""
        parsed = self.format_text(
            caption, params.text("parse_mode"), params.text("caption_entities"), caption=True
        )
        markup = parse_reply_markup(params.text("reply_markup"))
        size: tuple[int, int] = (0, 0)
        if field == "photo":
            content = source.content
            dimensions = image_size(content)
            if dimensions is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            if len(content) > MAX_PHOTO_BYTES:
                raise bad_request("PHOTO_SAVE_FILE_INVALID")
            size = dimensions
        user = self.resolve_chat(params, sending=True)
        self._check_reply_to(params, user.id)
        if isinstance(source, Upload):
            stored = self.store_file(source.filename, source.content, source.content_type)
        else:
            stored = source
        message = ChatMessage(
            message_id=self.next_message_id(user.id),
            chat_id=user.id,
            date=now(),
            from_bot=True,
            kind="photo" if field == "photo" else "document",
            text=parsed.text,
            html=caption,
            parse_mode=params.text("parse_mode"),
            entities=parsed.entities,
            reply_markup=markup,
            document=stored if field == "document" else None,
            photo=stored if field == "photo" else None,
            photo_size=size,
        )
        return self._record_message(call, self.add_message(message))

    def send_document(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        return self._send_media(params, call, "document")

    def send_photo(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        return self._send_media(params, call, "photo")

    def send_chat_action(self, params: Params, call: RecordedCall) -> bool:
        action = params.required("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        call.chat_id = self.resolve_chat(params, sending=True).id
        return True

    def set_chat_menu_button(self, params: Params, call: RecordedCall) -> bool:
        button = params.json_value("menu_button", "menu button")
        if button is None:
            button = {"type": "default"}
        if not isinstance(button, dict):
            raise bad_request("can't parse menu button: MenuButton must be an Object")
        kind = button.get("type")
        if kind not in ("default", "commands", "web_app"):
            raise bad_request("can't parse menu button: Unsupported type specified")
        if kind == "web_app":
            web_app = button.get("web_app")
            if not button.get("text") or not isinstance(web_app, dict) or not web_app.get("url"):
                raise bad_request("can't parse menu button: web_app button needs text and url")
        chat_id = self.resolve_chat(params, sending=False).id if params.text("chat_id") else None
        self.menu_buttons[chat_id] = button
        return True

    def get_chat_menu_button(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        chat_id = self.resolve_chat(params, sending=False).id if params.text("chat_id") else None
        return (
            self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "commands"}
        )

    def get_file(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        stored = self.files.get(params.required("file_id"))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    def get_chat(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        user = self.resolve_chat(params, sending=False)
        chat = user.as_chat()
        chat.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        )
        return chat


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


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )
