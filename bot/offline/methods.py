"""Bot API methods of the fake server: validation and the chat state they change."""

from __future__ import annotations

import json
import mimetypes
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.offline.html_check import (
    EntityParseError,
    ParsedText,
    parse_html,
    trim_text,
    utf16_len,
)
from bot.offline.markup import parse_reply_markup
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
MAX_COMMANDS = 100
MAX_COMMAND_LENGTH = 32
MAX_COMMAND_DESCRIPTION = 256
LANGUAGE_CODE_LENGTH = 2

CHAT_ACTIONS = frozenset(
    {
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
    }
)
SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_COMMAND_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")

Handler = Callable[[Params, RecordedCall], Any]


def now() -> int:
    return int(time.time())


def new_file_ids() -> tuple[str, str]:
    return "BQAC" + secrets.token_urlsafe(24), "AgAD" + secrets.token_urlsafe(8)


def image_size(content: bytes) -> tuple[int, int] | None:
    """Width and height of PNG, GIF or JPEG bytes; ``None`` when it is not such an image."""
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) >= 24:  # noqa: PLR2004
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= 10:  # noqa: PLR2004
        return int.from_bytes(content[6:8], "little"), int.from_bytes(content[8:10], "little")
    if content.startswith(b"\xff\xd8"):
        return _jpeg_size(content)
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(content):
        if content[pos] != 0xFF:  # noqa: PLR2004
            return None
        marker = content[pos + 1]
        length = int.from_bytes(content[pos + 2 : pos + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # noqa: PLR2004
            height = int.from_bytes(content[pos + 5 : pos + 7], "big")
            width = int.from_bytes(content[pos + 7 : pos + 9], "big")
            return width, height
        pos += 2 + length
    return None


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
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
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
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
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
        file_id, unique_id = new_file_ids()
        guessed = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=unique_id,
            file_name=filename,
            content=content,
            mime_type=guessed,
            file_path=f"documents/file_{len(self.files)}{_extension(filename)}",
        )
        self.files[file_id] = stored
        return stored

    # ------------------------------------------------------------------ checks

    def resolve_chat(self, params: Params, *, sending: bool) -> FakeUser:
        raw = params.text("chat_id")
        if raw is None:
            raise bad_request("chat_id is empty")
        user: FakeUser | None = None
        if raw.startswith("@"):
            user = next((u for u in self.users.values() if u.username == raw[1:]), None)
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
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
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
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "commands"}

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

    # ------------------------------------------------------------------ commands

    def _scope_key(self, params: Params) -> tuple[str, str]:
        scope = params.json_value("scope", "BotCommandScope")
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
            raise bad_request("can't parse BotCommandScope: Unsupported type specified")
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            chat_id = scope.get("chat_id")
            if chat_id in (None, ""):
                raise bad_request("can't parse BotCommandScope: Empty chat_id specified")
            if _as_int(chat_id) not in self.users:
                raise bad_request("chat not found")
            if scope["type"] != "chat":
                raise bad_request("can't use specified scope in private chats")
        language = params.text("language_code") or ""
        if language and (len(language) != LANGUAGE_CODE_LENGTH or not language.islower()):
            raise bad_request("invalid language code specified")
        canonical = {"type": scope["type"]}
        if "chat_id" in scope:
            canonical["chat_id"] = str(_as_int(scope["chat_id"]))
        return _scope_name(canonical), language

    def set_my_commands(self, params: Params, call: RecordedCall) -> bool:
        raw = params.json_value("commands", "commands")
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            raise bad_request("Expected an Array of BotCommand")
        commands = [_checked_command(item) for item in raw]
        if len(commands) > MAX_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        key = self._scope_key(params)
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    def get_my_commands(self, params: Params, call: RecordedCall) -> list[dict[str, str]]:
        return list(self.commands.get(self._scope_key(params), []))

    def delete_my_commands(self, params: Params, call: RecordedCall) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def visible_commands(self, user_id: int, language_code: str = "") -> list[dict[str, str]]:
        """Commands a private-chat user sees in the menu, by Telegram's scope precedence."""
        for scope in (f"chat:{user_id}", "all_private_chats", "default"):
            for language in (language_code, ""):
                if (scope, language) in self.commands:
                    return list(self.commands[(scope, language)])
        return []


def _scope_name(scope: dict[str, str]) -> str:
    return f"{scope['type']}:{scope['chat_id']}" if "chat_id" in scope else scope["type"]


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _checked_command(item: Any) -> dict[str, str]:
    if not isinstance(item, dict):
        raise bad_request("can't parse BotCommand: expected an Object")
    command, description = item.get("command"), item.get("description")
    if not isinstance(command, str):
        raise bad_request('can\'t parse BotCommand: Field "command" must be of type String')
    if not isinstance(description, str):
        raise bad_request('can\'t parse BotCommand: Field "description" must be of type String')
    command = command.strip().removeprefix("/")
    description = description.strip()
    if not command:
        raise bad_request("command must be non-empty")
    if len(command) > MAX_COMMAND_LENGTH:
        raise bad_request(f"command length must not exceed {MAX_COMMAND_LENGTH}")
    if not description:
        raise bad_request("command description must be non-empty")
    if len(description) > MAX_COMMAND_DESCRIPTION:
        raise bad_request(
            f"command description length must not exceed {MAX_COMMAND_DESCRIPTION}"
        )
    if not set(command) <= _COMMAND_CHARS:
        raise bad_request("BOT_COMMAND_INVALID")
    return {"command": command, "description": description}


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


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:] if dot > 0 else ""
