"""Decoding of Bot API request parameters (query string, urlencoded, multipart or JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from offline.state import ApiError, bad_request

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "menu_button",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
    }
)
INT_FIELDS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "cache_time"})
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0", ""})


@dataclass
class Upload:
    filename: str
    content: bytes
    content_type: str | None = None


@dataclass
class Params:
    values: dict[str, str] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        """The value, or ``None`` when missing or empty (Telegram treats both alike)."""
        value = self.values.get(name)
        return value if value else None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise bad_request(f'Parameter "{name}" is required')
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            return int(raw)
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        raw = (self.values.get(name) or "").strip().lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        raise bad_request(f"invalid {name} specified")

    def json_value(self, name: str, what: str) -> Any:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise bad_request(f"can't parse {what} JSON object") from None

    def input_file(self, name: str) -> Upload | str | None:
        """An uploaded file (direct or ``attach://``) or the string given (file_id / URL)."""
        if name in self.uploads:
            return self.uploads[name]
        raw = self.text(name)
        if raw is None:
            return None
        if raw.startswith("attach://"):
            attached = self.uploads.get(raw[len("attach://") :])
            if attached is None:
                raise bad_request(f"file {raw} not found in the request")
            return attached
        return raw

    def decoded(self) -> dict[str, Any]:
        """Values for the call log: JSON fields parsed, integers as int, uploads summarised."""
        result: dict[str, Any] = {}
        for name, raw in self.values.items():
            if name in JSON_FIELDS:
                try:
                    result[name] = json.loads(raw)
                except ValueError:
                    result[name] = raw
            elif name in INT_FIELDS:
                try:
                    result[name] = int(raw)
                except ValueError:
                    result[name] = raw
            else:
                result[name] = raw
        for name, upload in self.uploads.items():
            result[name] = {"filename": upload.filename, "size": len(upload.content)}
        return result


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


async def read_params(request: web.Request) -> Params:
    params = Params()
    for name, value in request.query.items():
        params.values[name] = value
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON encoded request") from None
        if isinstance(body, dict):
            for name, value in body.items():
                if value is not None:
                    params.values[name] = _as_text(value)
        return params
    form = await request.post()
    for name, field_value in form.items():
        if isinstance(field_value, web.FileField):
            params.uploads[name] = Upload(
                filename=field_value.filename,
                content=field_value.file.read(),
                content_type=field_value.content_type,
            )
        elif isinstance(field_value, str):
            params.values[name] = field_value
        else:
            params.values[name] = bytes(field_value).decode("utf-8", "replace")
    return params
