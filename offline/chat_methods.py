"""Bot API methods about the chat itself rather than its messages."""

from __future__ import annotations

from typing import Any

from offline.markup import check_web_app
from offline.media_methods import MediaMethods
from offline.params import Params
from offline.state import RecordedCall, bad_request

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


class ChatMethods(MediaMethods):
    """Chat actions, the menu button and ``getChat``."""

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
            check_web_app(web_app, "menu button")
        chat_id = self.resolve_chat(params, sending=False).id if params.text("chat_id") else None
        self.menu_buttons[chat_id] = button
        return True

    def get_chat_menu_button(self, params: Params, call: RecordedCall) -> dict[str, Any]:
        chat_id = self.resolve_chat(params, sending=False).id if params.text("chat_id") else None
        return (
            self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "commands"}
        )

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
