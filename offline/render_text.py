"""Rendering of recorded bot messages for a terminal."""

from __future__ import annotations

from typing import Any

from offline.state import ChatMessage

_BMP_END = 0xFFFF
_ANSI = {
    "bold": ("\x1b[1m", "\x1b[22m"),
    "italic": ("\x1b[3m", "\x1b[23m"),
    "underline": ("\x1b[4m", "\x1b[24m"),
    "strikethrough": ("\x1b[9m", "\x1b[29m"),
    "code": ("\x1b[36m", "\x1b[39m"),
    "pre": ("\x1b[36m", "\x1b[39m"),
    "text_link": ("\x1b[4;34m", "\x1b[24;39m"),
    "spoiler": ("\x1b[2m", "\x1b[22m"),
}


def _styled(text: str, entities: list[dict[str, Any]]) -> str:
    """Insert ANSI codes at entity bounds; offsets are UTF-16, so walk in UTF-16 units."""
    marks: dict[int, list[str]] = {}
    for entity in entities:
        style = _ANSI.get(entity["type"])
        if style is None:
            continue
        start, end = entity["offset"], entity["offset"] + entity["length"]
        marks.setdefault(start, []).append(style[0])
        marks.setdefault(end, []).insert(0, style[1])
    if not marks:
        return text
    out: list[str] = []
    position = 0
    for char in text:
        out.extend(marks.pop(position, []))
        out.append(char)
        position += 2 if ord(char) > _BMP_END else 1
    for _, codes in sorted(marks.items()):
        out.extend(codes)
    return "".join(out)


def to_console(message: ChatMessage, *, colors: bool = False) -> str:
    """Text with entities applied, then numbered inline buttons, then attachments."""
    lines: list[str] = []
    if message.deleted:
        lines.append("(deleted)")
    body = _styled(message.text, message.entities) if colors else message.text
    if body:
        lines.append(body + (" (edited)" if message.edited else ""))
    if message.document is not None:
        lines.append(f"📎 {message.document.file_name} ({message.document.size} bytes)")
    if message.photo is not None:
        lines.append(f"🖼 {message.photo.file_name} ({message.photo.size} bytes)")
    markup = message.reply_markup or {}
    number = 0
    for row in markup.get("inline_keyboard") or markup.get("keyboard") or []:
        cells: list[str] = []
        for button in row:
            number += 1
            cells.append(f"[{number}] {button['text']}")
        lines.append("  ".join(cells))
    return "\n".join(lines)
