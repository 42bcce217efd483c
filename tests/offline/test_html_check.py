"""Telegram's HTML parse mode without a server: entities, offsets, trimming, commands."""

from __future__ import annotations

import pytest

from offline.html_check import (
    EntityParseError,
    ParsedText,
    find_bot_commands,
    parse_html,
    trim_text,
    utf16_len,
)


def test_utf16_length() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("жёлтый") == 6
    assert utf16_len("😀") == 2
    assert utf16_len("👨‍👩‍👧") == 8


def test_nested_entities() -> None:
    parsed = parse_html("<b>a<i>b</i></b><u>c</u> <s>d</s> <code>e</code>")
    assert parsed.text == "abc d e"
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == [
        ("bold", 0, 2),
        ("italic", 1, 1),
        ("underline", 2, 1),
        ("strikethrough", 4, 1),
        ("code", 6, 1),
    ]


def test_pre_with_language() -> None:
    for source in (
        '<pre><code class="language-python">x = 1</code></pre>',
        '<code class="language-python"><pre>x = 1</pre></code>',
    ):
        parsed = parse_html(source)
        assert parsed.entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]
    plain_code = parse_html('<code class="language-python">x</code>')
    assert plain_code.entities == [{"type": "code", "offset": 0, "length": 1}]


def test_links() -> None:
    parsed = parse_html(
        '<a href="https://example.org/a?b=1&amp;c=2">x</a> <a>https://t.me/x</a> '
        '<a href="javascript:alert(1)">y</a> <a href=example.org>z</a>'
    )
    links = [(e["offset"], e.get("url")) for e in parsed.entities]
    # Telegram silently drops links it cannot use and adds http:// to bare domains.
    assert links == [
        (0, "https://example.org/a?b=1&c=2"),
        (2, "https://t.me/x"),
        (19, "http://example.org"),
    ]


def test_custom_emoji_and_blockquotes() -> None:
    parsed = parse_html(
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
        "<blockquote>q</blockquote><blockquote expandable>e</blockquote>"
    )
    assert [e["type"] for e in parsed.entities] == [
        "custom_emoji",
        "blockquote",
        "expandable_blockquote",
    ]
    with pytest.raises(EntityParseError, match="Invalid custom emoji identifier"):
        parse_html('<tg-emoji emoji-id="abc">👍</tg-emoji>')


def test_case_and_attributes() -> None:
    assert parse_html("<B>x</B>").entities[0]["type"] == "bold"
    assert parse_html("<b class='ignored' data-x=1>x</b >").text == "x"
    assert parse_html("<b>x</>").text == "x"
    with pytest.raises(EntityParseError, match="Unexpected end of name token"):
        parse_html("<a href=http://x.org>x</a>")
    with pytest.raises(EntityParseError, match="Empty attribute name"):
        parse_html("<b =1>x</b>")


def test_entities_and_strictness() -> None:
    assert parse_html("&amp; &lt;&#60;&#x3C;").text == "& <<<"
    # Telegram itself accepts entities without ";" and keeps unknown ones as text.
    assert parse_html("a &amp b &lt", strict_ampersand=False).text == "a & b <"
    with pytest.raises(EntityParseError, match="Character '&' is reserved"):
        parse_html("a &amp b")
    assert parse_html("AT&T &copy;", strict_ampersand=False).text == "AT&T &copy;"
    with pytest.raises(EntityParseError) as error:
        parse_html("AT&T")
    assert error.value.description.startswith("Bad Request: can't parse entities: ")
    with pytest.raises(EntityParseError, match="Character '&' is reserved"):
        parse_html('<a href="https://x.org/?a=1&lt=2">x</a>')
    lenient = parse_html('<a href="https://x.org/?a=1&lt=2">x</a>', strict_ampersand=False)
    assert lenient.entities[0]["url"] == "https://x.org/?a=1<=2"
    with pytest.raises(EntityParseError, match="surrogate"):
        parse_html("&#xD83D;")


def test_empty_tag_produces_no_entity() -> None:
    assert parse_html("<b></b>x") == ParsedText("x", [])


def test_trim_like_telegram() -> None:
    trimmed = trim_text(parse_html("\n\n  <b>x</b> y \n"))
    assert trimmed.text == "x y"
    assert trimmed.entities == [{"type": "bold", "offset": 0, "length": 1}]
    # Leading spaces inside an entity stay: Telegram stops trimming at the first entity.
    kept = trim_text(parse_html("<code>  x</code>"))
    assert kept.text == "  x"


def test_bot_commands_are_found_like_telegram() -> None:
    assert find_bot_commands("/start") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert find_bot_commands("😀 /help@olymp_bot now") == [
        {"type": "bot_command", "offset": 3, "length": 15}
    ]
    assert find_bot_commands("a/b and http://x/y") == []
    # A hyphen ends a command, as in Telegram: "/x-y" highlights "/x".
    assert find_bot_commands("/x-y") == [{"type": "bot_command", "offset": 0, "length": 2}]
