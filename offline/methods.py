"""Bot API methods of the fake server: validation and the chat state they change.

The methods are layered one class on another (chat state, media, chat settings, messages) so
each file stays small while every layer still sees the whole state, typed.  This module adds
the message methods and the table the HTTP side dispatches through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from offline.chat_core import (
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    CallbackQueryInfo,
    ChatCore,
    now,
)
from offline.chat_methods import CHAT_ACTIONS, ChatMethods
from offline.html_check import utf16_len
from offline.markup import parse_reply_markup
from offline.media_methods import (
    MAX_DOWNLOAD_BYTES,
    MAX_PHOTO_BYTES,
    MAX_UPLOAD_BYTES,
)
from offline.params import Params
from offline.state import ApiError, ChatMessage, RecordedCall, bad_request

# The rest of the code imports these from here, wherever they are defined.
__all__ = [
    "CHAT_ACTIONS",
    "MAX_CALLBACK_ANSWER_LENGTH",
    "MAX_CAPTION_LENGTH",
    "MAX_DOWNLOAD_BYTES",
    "MAX_PHOTO_BYTES",
    "MAX_TEXT_LENGTH",
    "MAX_UPLOAD_BYTES",
    "BotApiCore",
    "CallbackQueryInfo",
    "ChatCore",
    "ChatMethods",
    "Handler",
    "now",
]

MAX_CALLBACK_ANSWER_LENGTH = 200

Handler = Callable[[Params, RecordedCall], Any]


class BotApiCore(ChatMethods):
    """State of one bot as Telegram keeps it, and the methods that act on it."""

    def __init__(
        self,
        token: str,
        *,
        bot_username: str,
        bot_first_name: str,
        strict_ampersand: bool = True,
    ) -> None:
        super().__init__(
            token,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            strict_ampersand=strict_ampersand,
        )
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


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )
