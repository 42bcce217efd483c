"""Bot commands kept per (scope, language), validated as Telegram validates them."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from offline.params import Params
from offline.state import bad_request

MAX_COMMANDS = 100
MAX_COMMAND_LENGTH = 32
MAX_COMMAND_DESCRIPTION = 256
LANGUAGE_CODE_LENGTH = 2
SCOPE_TYPES = frozenset(
    [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ]
)
_COMMAND_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


class CommandStore:
    def __init__(self, known_chats: Container[int | None]) -> None:
        self.known_chats = known_chats
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}

    def scope_key(self, params: Params) -> tuple[str, str]:
        scope = params.json_value("scope", "BotCommandScope")
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
            raise bad_request("can't parse BotCommandScope: Unsupported type specified")
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            chat_id = scope.get("chat_id")
            if chat_id in (None, ""):
                raise bad_request("can't parse BotCommandScope: Empty chat_id specified")
            if _as_int(chat_id) not in self.known_chats:
                raise bad_request("chat not found")
            if scope["type"] != "chat":
                raise bad_request("can't use specified scope in private chats")
        language = params.text("language_code") or ""
        if language and (len(language) != LANGUAGE_CODE_LENGTH or not language.islower()):
            raise bad_request("invalid language code specified")
        if "chat_id" in scope:
            return f"{scope['type']}:{_as_int(scope['chat_id'])}", language
        return str(scope["type"]), language

    def set(self, params: Params) -> bool:
        raw = params.json_value("commands", "commands")
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            raise bad_request("Expected an Array of BotCommand")
        commands = [_checked_command(item) for item in raw]
        if len(commands) > MAX_COMMANDS:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        key = self.scope_key(params)
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    def get(self, params: Params) -> list[dict[str, str]]:
        return list(self.commands.get(self.scope_key(params), []))

    def delete(self, params: Params) -> bool:
        self.commands.pop(self.scope_key(params), None)
        return True

    def visible(self, user_id: int, language_code: str = "") -> list[dict[str, str]]:
        """Commands a private-chat user sees in the menu, by Telegram's scope precedence."""
        for scope in (f"chat:{user_id}", "all_private_chats", "default"):
            for language in (language_code, ""):
                if (scope, language) in self.commands:
                    return list(self.commands[(scope, language)])
        return []


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
        raise bad_request(f"command description length must not exceed {MAX_COMMAND_DESCRIPTION}")
    if not set(command) <= _COMMAND_CHARS:
        raise bad_request("BOT_COMMAND_INVALID")
    return {"command": command, "description": description}
