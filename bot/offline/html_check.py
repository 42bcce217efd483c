"""Telegram's HTML parse mode, reproduced closely enough to refuse what Telegram refuses.

The tag scanner follows the algorithm of Telegram's own parser (tdlib ``parse_html``), so the
error wording and byte offsets match what the real Bot API reports.  One rule is deliberately
stricter: Telegram silently keeps a bare ``&`` that does not start an entity, although its
documentation requires escaping it; ``strict_ampersand`` makes that an error so that text
built without escaping is caught before it meets a string where the ``&`` does form an entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PARSE_ERROR_PREFIX = "Bad Request: can't parse entities: "

_SPACES = frozenset(b" \t\r\n\0\v\f")
_ALLOWED_TAGS = frozenset(
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
_SIMPLE_ENTITY = {
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
_ASCII_END = 0x80
_FOUR_BYTE_LEAD = 0xF0  # lead byte of a 4-byte UTF-8 sequence: two UTF-16 code units
_SURROGATES = range(0xD800, 0xE000)
_MAX_COMMAND = 64
_USERNAME_BOUNDS = range(3, 33)


class EntityParseError(ValueError):
    """Raised with Telegram's wording, without the ``Bad Request: can't parse entities:``."""

    @property
    def description(self) -> str:
        return PARSE_ERROR_PREFIX + str(self)


@dataclass
class ParsedText:
    """Text as the recipient sees it, with entities in Telegram's JSON shape."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit of every Telegram limit and entity offset."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _is_first_code_unit(byte: int) -> bool:
    return (byte & 0xC0) != _ASCII_END


def _decode_entity(data: bytes, pos: int, *, strict: bool) -> tuple[str, int] | None:
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
            while data[end] < _ASCII_END and chr(data[end]).isdigit():
                code = code * 10 + data[end] - ord("0")
                end += 1
        if code == 0 or code >= _MAX_CODE_POINT or end - pos >= _MAX_ENTITY_BYTES:
            return None
        char = chr(code)
    else:
        while data[end] < _ASCII_END and chr(data[end]).isalpha():
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


def _bare_ampersand(offset: int) -> EntityParseError:
    return EntityParseError(
        f"Character '&' is reserved and must be escaped as \"&amp;\" at byte offset {offset}"
    )


def _checked_link(url: str) -> str | None:
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
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    output_pos: int


class _HtmlParser:
    def __init__(self, source: str, *, strict_ampersand: bool) -> None:
        self.data = source.encode("utf-8", "surrogatepass") + b"\0"
        self.size = len(self.data) - 1
        self.strict_ampersand = strict_ampersand
        self.out = bytearray()
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def run(self) -> ParsedText:
        i = 0
        while i < self.size:
            byte = self.data[i]
            if byte == ord("&"):
                decoded = _decode_entity(self.data, i, strict=self.strict_ampersand)
                if decoded is not None:
                    char, i = decoded
                    if ord(char) in _SURROGATES:
                        raise EntityParseError(
                            "Text contains invalid Unicode characters after decoding HTML "
                            "entities, check for unmatched surrogate code units"
                        )
                    self.out += char.encode("utf-8")
                    self.utf16 += utf16_len(char)
                    continue
                if self.strict_ampersand:
                    raise _bare_ampersand(i)
            if byte != ord("<"):
                if _is_first_code_unit(byte):
                    self.utf16 += 2 if byte >= _FOUR_BYTE_LEAD else 1
                self.out.append(byte)
                i += 1
                continue
            i = self._end_tag(i) if self.data[i + 1] == ord("/") else self._start_tag(i)
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        try:
            text = self.out.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EntityParseError("Strings must be encoded in UTF-8") from exc
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText(text, self.entities)

    def _start_tag(self, begin: int) -> int:
        data = self.data
        i = begin + 1
        while data[i] not in _SPACES and data[i] != ord(">"):
            i += 1
        if data[i] == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
        if tag not in _ALLOWED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument = ""
        while data[i] != ord(">"):
            i = self._skip_spaces(i)
            if data[i] == ord(">"):
                break
            attr, value, i = self._attribute(tag, begin, i)
            argument = _tag_argument(tag, attr, value, argument)
        if tag == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
            )
        self.stack.append(_OpenTag(tag, argument, self.utf16, len(self.out)))
        return i + 1

    def _skip_spaces(self, i: int) -> int:
        while self.data[i] != 0 and self.data[i] in _SPACES:
            i += 1
        return i

    def _attribute(self, tag: str, begin: int, i: int) -> tuple[str, str | None, int]:
        """One ``name`` or ``name=value`` attribute; the value is ``None`` for a bare name."""
        data = self.data
        attr_begin = i
        while data[i] not in _SPACES and data[i] not in b"=>/\"'":
            i += 1
        attr = data[attr_begin:i].decode("utf-8", "replace")
        if not attr:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
            )
        i = self._skip_spaces(i)
        if data[i] != ord("="):
            if data[i] == 0:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            return attr, None, i
        i = self._skip_spaces(i + 1)
        if data[i] == 0:
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        value, i = self._attribute_value(i)
        if data[i] == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        return attr, value, i

    def _attribute_value(self, i: int) -> tuple[str, int]:
        data = self.data
        quote = data[i]
        if quote not in b"\"'":
            token_begin = i
            while (data[i] < _ASCII_END and chr(data[i]).isalnum()) or data[i] in b".-":
                i += 1
            if data[i] not in _SPACES and data[i] != ord(">"):
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {token_begin}"
                )
            return data[token_begin:i].decode("ascii").lower(), i
        i += 1
        value = bytearray()
        while data[i] != quote and data[i] != 0:
            if data[i] == ord("&"):
                decoded = _decode_entity(data, i, strict=self.strict_ampersand)
                if decoded is not None:
                    char, i = decoded
                    value += char.encode("utf-8", "surrogatepass")
                    continue
                if self.strict_ampersand:
                    raise _bare_ampersand(i)
            value.append(data[i])
            i += 1
        if data[i] == quote:
            i += 1
        return value.decode("utf-8", "replace"), i

    def _end_tag(self, begin: int) -> int:
        data = self.data
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        i = begin + 2
        while data[i] not in _SPACES and data[i] != ord(">"):
            i += 1
        end_tag = data[begin + 2 : i].decode("utf-8", "replace").lower()
        while data[i] != 0 and data[i] in _SPACES:
            i += 1
        if data[i] != ord(">"):
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        opened = self.stack[-1]
        if end_tag and end_tag != opened.name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{opened.name}>", '
                f'found "</{end_tag}>"'
            )
        if self.utf16 > opened.utf16_offset:
            self._add_entity(opened)
        self.stack.pop()
        return i + 1

    def _add_entity(self, opened: _OpenTag) -> None:
        offset = opened.utf16_offset
        length = self.utf16 - offset
        entity: dict[str, Any] = {"type": "", "offset": offset, "length": length}
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and last["offset"] == offset and last["length"] == length
        name = opened.name
        if name in _SIMPLE_ENTITY:
            entity["type"] = _SIMPLE_ENTITY[name]
        elif name == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=opened.argument)
        elif name == "a":
            url = opened.argument or self.out[opened.output_pos :].decode("utf-8", "replace")
            checked = _checked_link(url)
            if checked is None:
                return
            entity.update(type="text_link", url=checked)
        elif name == "pre":
            if last is not None and same_span and last["type"] == "code" and "language" in last:
                last["type"] = "pre"
                return
            entity["type"] = "pre"
        elif name == "code":
            if last is not None and same_span and last["type"] == "pre" and opened.argument:
                last["language"] = opened.argument
                return
            entity["type"] = "code"
            if opened.argument:
                # Kept only until a surrounding <pre> claims it; dropped below otherwise.
                entity["language"] = opened.argument
        else:
            entity["type"] = "expandable_blockquote" if opened.argument else "blockquote"
        self.entities.append(entity)


_ARGUMENT_ATTRIBUTES = {
    ("a", "href"): "",
    ("code", "class"): "language-",
    ("span", "class"): "tg-",
    ("tg-emoji", "emoji-id"): "",
}


def _tag_argument(tag: str, attr: str, value: str | None, current: str) -> str:
    """The attribute value a tag keeps (link, language, spoiler class, emoji id)."""
    if tag == "blockquote" and attr == "expandable":
        return "1"
    prefix = _ARGUMENT_ATTRIBUTES.get((tag, attr))
    if value is None or prefix is None or not value.startswith(prefix):
        return current
    return value[len(prefix) :]


def parse_html(source: str, *, strict_ampersand: bool = True) -> ParsedText:
    """Parse ``source`` as Telegram's HTML parse mode; raise :class:`EntityParseError`."""
    parsed = _HtmlParser(source, strict_ampersand=strict_ampersand).run()
    for entity in parsed.entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return parsed


def trim_text(parsed: ParsedText) -> ParsedText:
    """Strip leading/trailing spaces and newlines the way Telegram does before storing."""
    text = parsed.text.rstrip(" \n")
    end = utf16_len(text)
    entities: list[dict[str, Any]] = []
    for entity in parsed.entities:
        if entity["offset"] >= end:
            continue
        clipped = dict(entity)
        clipped["length"] = min(entity["length"], end - entity["offset"])
        entities.append(clipped)
    first_entity = entities[0]["offset"] if entities else len(text)
    skip = 0
    while skip < min(first_entity, len(text)) and text[skip] in " \n":
        skip += 1
    if skip:
        text = text[skip:]
        for entity in entities:
            entity["offset"] -= skip
    return ParsedText(text, entities)


def find_bot_commands(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities as Telegram adds them to incoming messages."""
    entities: list[dict[str, Any]] = []
    i = 0
    while (i := text.find("/", i)) != -1:
        start = i
        i += 1
        if start > 0 and (_is_word(text[start - 1]) or text[start - 1] in "/<>"):
            continue
        end = _skip_name(text, i)
        if not 1 <= end - i <= _MAX_COMMAND:
            continue
        if end < len(text) and text[end] == "@":
            mention_end = _skip_name(text, end + 1)
            if mention_end - end - 1 not in _USERNAME_BOUNDS:
                continue
            end = mention_end
        if end < len(text) and (_is_word(text[end]) or text[end] in "/<>"):
            continue
        offset = utf16_len(text[:start])
        entities.append(
            {"type": "bot_command", "offset": offset, "length": utf16_len(text[start:end])}
        )
        i = end
    return entities


def _skip_name(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isascii() and (text[pos].isalnum() or text[pos] == "_"):
        pos += 1
    return pos


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"
