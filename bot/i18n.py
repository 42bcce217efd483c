"""Translations: gettext catalogs kept as per-feature fragments, compiled into one domain.

Each feature keeps its strings in `locales/<lang>/<feature>.po` so that features do not edit one
shared file; `compile_catalogs` merges the fragments into `LC_MESSAGES/messages.mo`, which is what
aiogram's `I18n` reads.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiogram.utils.i18n import I18n
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.settings import PROJECT_ROOT, SUPPORTED_LOCALES

LOCALES_DIR = PROJECT_ROOT / "locales"
DOMAIN = "messages"
log = logging.getLogger(__name__)


class CatalogError(Exception):
    pass


def merged_catalog(lang: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    merged = Catalog(locale=lang, domain=DOMAIN, fuzzy=False)
    seen: dict[object, Path] = {}
    for fragment in sorted((locales_dir / lang).glob("*.po")):
        with fragment.open("rb") as fh:
            try:
                catalog = read_po(fh, locale=lang)
            except Exception as exc:
                raise CatalogError(f"{fragment.name} ({lang}): {exc}") from exc
        for message in catalog:
            if not message.id:
                continue
            if message.id in seen:
                # Two features may share a string; they must agree on its translation.
                if merged[message.id].string == message.string:
                    continue
                raise CatalogError(
                    f"{fragment.name} ({lang}): {message.id!r} is translated differently "
                    f"in {seen[message.id].name}"
                )
            seen[message.id] = fragment
            merged[message.id] = message
    return merged


def compile_catalogs(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    written = []
    for lang in SUPPORTED_LOCALES:
        catalog = merged_catalog(lang, locales_dir)
        target = locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(target)
    return written


def build_i18n(default_locale: str, locales_dir: Path = LOCALES_DIR) -> I18n:
    # The .mo files are build output: compile them if a fresh checkout has none yet.
    if not all(
        (locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").exists()
        for lang in SUPPORTED_LOCALES
    ):
        compile_catalogs(locales_dir)
    return I18n(path=locales_dir, default_locale=default_locale, domain=DOMAIN)
