"""The tag scanner of Telegram's HTML parse mode, after tdlib's ``parse_html``.

It works on UTF-8 bytes with a trailing NUL, as tdlib does, so that byte offsets in errors
match the real Bot API's and every look-ahead can stop at the NUL instead of checking bounds.
"""

from __future__ import annotations

from typing import Any

from offline.html_syntax import (
    ALLOWED_TAGS,
    ASCII_END,
    SIMPLE_ENTITY,
    OpenTag,
    bare_ampersand,
    checked_link,
    decode_entity,
    tag_argument,
)
from offline.parsed_text import EntityParseError, ParsedText, utf16_len

_SPACES = frozenset(b" \t\r\n\0\v\f")
_FOUR_BYTE_LEAD = 0xF0  # lead byte of a 4-byte UTF-8 sequence: two UTF-16 code units
_SURROGATES = range(0xD800, 0xE000)


def _is_first_code_unit(byte: int) -> bool:
    return (byte & 0xC0) != ASCII_END


class HtmlParser:
    def __init__(self, source: str, *, strict_ampersand: bool) -> None:
        self.data = source.encode("utf-8", "surrogatepass") + b"\0"
        self.size = len(self.data) - 1
        self.strict_ampersand = strict_ampersand
        self.out = bytearray()
        self.utf16 = 0
        self.stack: list[OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def run(self) -> ParsedText:
        i = 0
        while i < self.size:
            byte = self.data[i]
            if byte == ord("&"):
                decoded = decode_entity(self.data, i, strict=self.strict_ampersand)
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
                    raise bare_ampersand(i)
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
        if tag not in ALLOWED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument = ""
        while data[i] != ord(">"):
            i = self._skip_spaces(i)
            if data[i] == ord(">"):
                break
            attr, value, i = self._attribute(tag, begin, i)
            argument = tag_argument(tag, attr, value, argument)
        if tag == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
            )
        self.stack.append(OpenTag(tag, argument, self.utf16, len(self.out)))
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
            while (data[i] < ASCII_END and chr(data[i]).isalnum()) or data[i] in b".-":
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
                decoded = decode_entity(data, i, strict=self.strict_ampersand)
                if decoded is not None:
                    char, i = decoded
                    value += char.encode("utf-8", "surrogatepass")
                    continue
                if self.strict_ampersand:
                    raise bare_ampersand(i)
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

    def _add_entity(self, opened: OpenTag) -> None:
        offset = opened.utf16_offset
        length = self.utf16 - offset
        entity: dict[str, Any] = {"type": "", "offset": offset, "length": length}
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and last["offset"] == offset and last["length"] == length
        name = opened.name
        if name in SIMPLE_ENTITY:
            entity["type"] = SIMPLE_ENTITY[name]
        elif name == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=opened.argument)
        elif name == "a":
            url = opened.argument or self.out[opened.output_pos :].decode("utf-8", "replace")
            checked = checked_link(url)
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
                # Kept only until a surrounding <pre> claims it; parse_html drops it otherwise.
                entity["language"] = opened.argument
        else:
            entity["type"] = "expandable_blockquote" if opened.argument else "blockquote"
        self.entities.append(entity)
