"""The pieces of Telegram's HTML grammar: character references, tags and their arguments."""

from __future__ import annotations

from dataclasses import dataclass

from offline.parsed_text import EntityParseError

ASCII_END = 0x80
ALLOWED_TAGS = frozenset(
    [
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    ]
)
SIMPLE_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_MAX_CODE_POINT = 0x10FFFF
_MAX_ENTITY_BYTES = 10
_LINK_SCHEMES = ("http://", "https://", "tg://", "ton://")


def decode_entity(data: bytes, pos: int, *, strict: bool) -> tuple[str, int] | None:
    """Decode ``&...`` at ``pos`` the way Telegram does; ``None`` when it is no entity.

    Telegram also accepts an entity without its ``;`` ("&amp b"); ``strict`` refuses that,
    since "?a=1&lt=2" in a link is far more likely an unescaped "&" than a "<".
    """
    end = pos + 1
    if data[end] == ord("#"):
        end += 1
        code = 0
        if data[end] == ord("x"):
            end += 1
            while chr(data[end]) in "0123456789abcdefABCDEF":
                code = code * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while data[end] < ASCII_END and chr(data[end]).isdigit():
                code = code * 10 + data[end] - ord("0")
                end += 1
        if code == 0 or code >= _MAX_CODE_POINT or end - pos >= _MAX_ENTITY_BYTES:
            return None
        char = chr(code)
    else:
        while data[end] < ASCII_END and chr(data[end]).isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(data[pos + 1 : end])
        if named is None:
            return None
        char = named
    if data[end] == ord(";"):
        end += 1
    elif strict:
        return None
    return char, end


def bare_ampersand(offset: int) -> EntityParseError:
    return EntityParseError(
        f"Character '&' is reserved and must be escaped as \"&amp;\" at byte offset {offset}"
    )


def checked_link(url: str) -> str | None:
    """Telegram drops links it cannot use instead of failing; mirror that."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    if url.lower().startswith(_LINK_SCHEMES):
        return url
    if "://" in url:
        return None
    host = url.split("/", 1)[0]
    return "http://" + url if "." in host else None


@dataclass
class OpenTag:
    name: str
    argument: str
    utf16_offset: int
    output_pos: int


_ARGUMENT_ATTRIBUTES = {
    ("a", "href"): "",
    ("code", "class"): "language-",
    ("span", "class"): "tg-",
    ("tg-emoji", "emoji-id"): "",
}


def tag_argument(tag: str, attr: str, value: str | None, current: str) -> str:
    """The attribute value a tag keeps (link, language, spoiler class, emoji id)."""
    if tag == "blockquote" and attr == "expandable":
        return "1"
    prefix = _ARGUMENT_ATTRIBUTES.get((tag, attr))
    if value is None or prefix is None or not value.startswith(prefix):
        return current
    return value[len(prefix) :]
