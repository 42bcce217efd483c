"""Validation of ``reply_markup`` the way the Bot API checks it, plus a few stricter rules.

Telegram silently drops buttons with empty text and cuts rows longer than 12 buttons, so a
keyboard can reach the user with buttons missing.  Both are refused here instead, because a
button that quietly disappears is exactly the kind of defect a test should see.
"""

from __future__ import annotations

import json
from typing import Any

from offline.state import ApiError

MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS_PER_ROW = 12
MAX_BUTTONS_TOTAL = 100

_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_SCHEMES = ("http://", "https://", "tg://", "ton://")


def _bad(description: str) -> ApiError:
    return ApiError(400, "Bad Request: " + description)


def _button_error(kind: str, detail: str) -> ApiError:
    return _bad(f"can't parse {kind} button: {detail}")


def parse_reply_markup(raw: str | None, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Decode and validate ``reply_markup``; ``None`` when absent or meaning "no markup"."""
    if raw is None or raw == "":
        return None
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise _bad("can't parse reply keyboard markup JSON object") from exc
    if not isinstance(value, dict):
        raise _bad("object expected as reply markup")
    if "inline_keyboard" in value:
        return {"inline_keyboard": _inline_rows(value["inline_keyboard"])}
    if inline_only:
        raise _bad("inline keyboard expected")
    if "keyboard" in value:
        markup = dict(value)
        markup["keyboard"] = _reply_rows(value["keyboard"])
        return markup
    if value.get("remove_keyboard") is True or value.get("force_reply") is True:
        return dict(value)
    return None


def _rows(rows: Any, field: str) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        if field == "inline_keyboard":
            raise _bad(
                'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        raise _bad(f'Field "{field}" must be an Array of Arrays')
    total = sum(len(row) for row in rows)
    if total > MAX_BUTTONS_TOTAL or any(len(row) > MAX_BUTTONS_PER_ROW for row in rows):
        raise _bad("reply markup is too long")
    return rows


def _inline_rows(rows: Any) -> list[list[dict[str, Any]]]:
    checked: list[list[dict[str, Any]]] = []
    for row in _rows(rows, "inline_keyboard"):
        checked.append([_inline_button(button) for button in row])
    return checked


def _inline_button(button: Any) -> dict[str, Any]:
    kind = "inline keyboard"
    if not isinstance(button, dict):
        raise _button_error(kind, "InlineKeyboardButton must be an Object")
    text = button.get("text")
    if "text" not in button:
        raise _button_error(kind, 'Can\'t find field "text"')
    if not isinstance(text, str):
        raise _button_error(kind, 'Field "text" must be of type String')
    if not text.strip():
        raise _button_error(kind, "Inline keyboard button text must be non-empty")
    actions = [key for key in _INLINE_ACTIONS if key in button and button[key] not in ("", None)]
    if not actions:
        raise _button_error(kind, "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _button_error(
            kind, "exactly one of the optional fields must be used, got " + ", ".join(actions)
        )
    action = actions[0]
    value = button[action]
    if action == "callback_data":
        if not isinstance(value, str):
            raise _button_error(kind, 'Field "callback_data" must be of type String')
        if len(value.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise _bad("BUTTON_DATA_INVALID")
    elif action == "web_app":
        check_web_app(value, "inline keyboard button")
    elif action == "url" and (
        not isinstance(value, str) or not value.lower().startswith(_URL_SCHEMES)
    ):
        raise _bad("BUTTON_URL_INVALID")
    return dict(button)


def check_web_app(value: Any, where: str) -> None:
    """A WebAppInfo: an object with an https `url` (Telegram opens Mini Apps over TLS only)."""
    if not isinstance(value, dict) or not isinstance(value.get("url"), str):
        raise _bad(f'can\'t parse {where}: Field "web_app" must be of type Object with a url')
    url = value["url"]
    if not url.lower().startswith("https://"):
        raise _bad(f"{where} Web App URL '{url}' is invalid: Only HTTPS links are allowed")


def _reply_rows(rows: Any) -> list[list[dict[str, Any]]]:
    checked: list[list[dict[str, Any]]] = []
    for row in _rows(rows, "keyboard"):
        new_row: list[dict[str, Any]] = []
        for item in row:
            button = {"text": item} if isinstance(item, str) else item
            if not isinstance(button, dict):
                raise _button_error("keyboard", "KeyboardButton must be a String or an Object")
            text = button.get("text")
            if not isinstance(text, str):
                raise _button_error("keyboard", 'Field "text" must be of type String')
            if not text.strip():
                raise _button_error("keyboard", "Keyboard button text must be non-empty")
            new_row.append(dict(button))
        checked.append(new_row)
    return checked


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Inline buttons in reading order (row by row, left to right)."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


def keyboard_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Buttons of either keyboard kind in reading order."""
    if not markup:
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [button for row in rows for button in row]
