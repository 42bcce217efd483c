"""Bot API methods that carry files: uploads, re-sent file ids and downloads."""

from __future__ import annotations

from typing import Any

from offline.chat_core import ChatCore, now
from offline.markup import parse_reply_markup
from offline.media import image_size
from offline.params import Params, Upload
from offline.state import (
    ApiError,
    ChatMessage,
    RecordedCall,
    StoredFile,
    bad_request,
)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024


class MediaMethods(ChatCore):
    """``sendDocument``, ``sendPhoto`` and ``getFile``."""

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
