"""aiogram's I18n over the compiled catalogs (see bot/catalogs.py for how they are built)."""

from __future__ import annotations

from pathlib import Path

from aiogram.utils.i18n import I18n

from bot.catalogs import DOMAIN, LOCALES_DIR, CatalogError, compile_catalogs, merged_catalog

__all__ = ["CatalogError", "build_i18n", "compile_catalogs", "merged_catalog"]


def build_i18n(default_locale: str, locales_dir: Path = LOCALES_DIR) -> I18n:
    # The .mo files are build output: compile them when the fragments changed since last time.
    compile_catalogs(locales_dir, force=False)
    return I18n(path=locales_dir, default_locale=default_locale, domain=DOMAIN)
