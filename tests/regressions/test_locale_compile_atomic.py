"""Compiling translations never exposes a half-written catalog, and is skipped when unchanged.

`messages.mo` used to be rewritten in place on every start, so a process starting at the same
time could read a truncated file (`struct.error: unpack requires a buffer of 4 bytes`).
"""

from __future__ import annotations

import gettext
import shutil
import threading
from pathlib import Path

from bot.catalogs import compile_catalogs, mo_path
from bot.i18n import build_i18n
from bot.settings import PROJECT_ROOT, SUPPORTED_LOCALES


def copy_sources(tmp_path: Path) -> Path:
    for lang in SUPPORTED_LOCALES:
        (tmp_path / lang).mkdir(parents=True)
        for fragment in (PROJECT_ROOT / "locales" / lang).glob("*.po"):
            shutil.copy(fragment, tmp_path / lang / fragment.name)
    return tmp_path


def test_a_reader_never_sees_a_partial_catalog(tmp_path: Path) -> None:
    locales = copy_sources(tmp_path)
    compile_catalogs(locales)
    target = mo_path("ru", locales)
    stop, errors, reads = threading.Event(), [], 0

    def compile_repeatedly() -> None:
        try:
            for _ in range(15):
                compile_catalogs(locales)
        finally:
            stop.set()

    writer = threading.Thread(target=compile_repeatedly)
    writer.start()
    while not stop.is_set():
        try:
            with target.open("rb") as fh:
                catalog = gettext.GNUTranslations(fh)
            assert catalog.gettext("Grades go from 1 to 11.") != "Grades go from 1 to 11."
        except Exception as exc:
            errors.append(repr(exc))
        reads += 1
    writer.join()
    assert reads > 0
    assert errors == []


def test_unchanged_sources_are_not_compiled_again(tmp_path: Path) -> None:
    locales = copy_sources(tmp_path)
    assert len(compile_catalogs(locales, force=False)) == len(SUPPORTED_LOCALES)
    before = mo_path("ru", locales).stat().st_mtime_ns

    assert compile_catalogs(locales, force=False) == []
    build_i18n("ru", locales)
    assert mo_path("ru", locales).stat().st_mtime_ns == before

    (locales / "ru" / "extra.po").write_text(
        'msgid "Only here"\nmsgstr "Только здесь"\n', encoding="utf-8"
    )
    assert compile_catalogs(locales, force=False) == [mo_path("ru", locales)]
    i18n = build_i18n("ru", locales)
    with i18n.context(), i18n.use_locale("ru"):
        assert i18n.gettext("Only here") == "Только здесь"


def test_a_removed_fragment_recompiles(tmp_path: Path) -> None:
    locales = copy_sources(tmp_path)
    (locales / "ru" / "extra.po").write_text(
        'msgid "Only here"\nmsgstr "Только здесь"\n', encoding="utf-8"
    )
    compile_catalogs(locales, force=False)
    (locales / "ru" / "extra.po").unlink()
    assert compile_catalogs(locales, force=False) == [mo_path("ru", locales)]
