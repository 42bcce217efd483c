"""Every user-visible string has a Russian translation; catalogs compile; plurals work."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.utils.i18n import I18n

from bot.i18n import CatalogError, compile_catalogs, merged_catalog
from bot.i18n_tools import as_po, extracted, missing


def test_every_string_is_translated_to_russian() -> None:
    gaps = missing("ru")
    assert not gaps, "untranslated or fuzzy msgids:\n" + as_po(gaps)


def test_extraction_finds_python_and_template_strings() -> None:
    ids = {m.id for m in extracted()}
    assert "Who are you?" in ids  # templates/start/kind.html
    assert "I am a student" in ids  # handlers/keyboards/onboarding.py


def test_fragments_compile_and_translate(tmp_path: Path) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "a.po").write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : '
        'n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "Hello"\nmsgstr "Привет"\n\n'
        'msgid "%(n)s event"\nmsgid_plural "%(n)s events"\n'
        'msgstr[0] "%(n)s мероприятие"\nmsgstr[1] "%(n)s мероприятия"\n'
        'msgstr[2] "%(n)s мероприятий"\n',
        encoding="utf-8",
    )
    (tmp_path / "en").mkdir()
    compile_catalogs(tmp_path)
    i18n = I18n(path=tmp_path, default_locale="ru")
    with i18n.context(), i18n.use_locale("ru"):
        assert i18n.gettext("Hello") == "Привет"
        forms = [i18n.gettext("%(n)s event", "%(n)s events", n) % {"n": n} for n in (1, 3, 5, 21)]
        assert forms == ["1 мероприятие", "3 мероприятия", "5 мероприятий", "21 мероприятие"]
    with i18n.context(), i18n.use_locale("en"):
        assert i18n.gettext("Hello") == "Hello"


def test_fragments_must_agree_on_a_shared_msgid(tmp_path: Path) -> None:
    (tmp_path / "ru").mkdir()
    for name in ("a.po", "b.po"):
        (tmp_path / "ru" / name).write_text('msgid "Hi"\nmsgstr "Привет"\n', encoding="utf-8")
    assert merged_catalog("ru", tmp_path)["Hi"].string == "Привет"
    (tmp_path / "ru" / "c.po").write_text('msgid "Hi"\nmsgstr "Здравствуйте"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="translated differently in a.po"):
        merged_catalog("ru", tmp_path)
