"""Files: identifiers, paths and the little image sniffing ``sendPhoto`` needs."""

from __future__ import annotations

import mimetypes
import secrets

from offline.state import StoredFile

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_HEADER_END = 24
_GIF_HEADER_END = 10
_JPEG_MARKER = 0xFF
_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def new_file_ids() -> tuple[str, str]:
    return "BQAC" + secrets.token_urlsafe(24), "AgAD" + secrets.token_urlsafe(8)


def make_stored_file(
    filename: str, content: bytes, mime_type: str | None, number: int
) -> StoredFile:
    file_id, unique_id = new_file_ids()
    dot = filename.rfind(".")
    extension = filename[dot:] if dot > 0 else ""
    return StoredFile(
        file_id=file_id,
        file_unique_id=unique_id,
        file_name=filename,
        content=content,
        mime_type=mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream",
        file_path=f"documents/file_{number}{extension}",
    )


def image_size(content: bytes) -> tuple[int, int] | None:
    """Width and height of PNG, GIF or JPEG bytes; ``None`` when it is not such an image."""
    if content.startswith(_PNG_SIGNATURE) and len(content) >= _PNG_HEADER_END:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= _GIF_HEADER_END:
        return int.from_bytes(content[6:8], "little"), int.from_bytes(content[8:10], "little")
    if content.startswith(b"\xff\xd8"):
        return _jpeg_size(content)
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(content):
        if content[pos] != _JPEG_MARKER:
            return None
        marker = content[pos + 1]
        if marker in _JPEG_FRAME_MARKERS:
            height = int.from_bytes(content[pos + 5 : pos + 7], "big")
            width = int.from_bytes(content[pos + 7 : pos + 9], "big")
            return width, height
        pos += 2 + int.from_bytes(content[pos + 2 : pos + 4], "big")
    return None
