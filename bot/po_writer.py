"""Writes a .po fragment from a mapping of msgid → translation (used to start a fragment)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po


def write_fragment(path: Path, lang: str, translations: dict[str, str | tuple[str, ...]]) -> None:
    catalog = Catalog(locale=lang, fuzzy=False)
    for msgid, msgstr in translations.items():
        if isinstance(msgstr, tuple):
            catalog.add((msgid, msgstr[0]), msgstr[1:])
        else:
            catalog.add(msgid, msgstr)
    with path.open("wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, width=99)
