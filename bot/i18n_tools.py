"""Finding the strings to translate and checking that every one is translated.

`python -m bot i18n missing` lists what a language lacks, as .po entries to paste into a fragment.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from babel.messages.extract import extract_from_dir

from bot.catalogs import LOCALES_DIR, merged_catalog
from bot.settings import PROJECT_ROOT

# aiogram's gettext takes (singular, plural, n) for plurals: three arguments mean a plural.
# Jinja's extractor reports `_("… %(n)s", n=x)` as two arguments (the keyword one as None):
# still a singular, which must be checked like the others.
_SINGULAR_OR_PLURAL = {1: (1,), 2: (1,), 3: (1, 2)}
KEYWORDS: dict[str, object] = {
    "_": _SINGULAR_OR_PLURAL,
    "__": _SINGULAR_OR_PLURAL,
    "gettext": _SINGULAR_OR_PLURAL,
    "lazy_gettext": _SINGULAR_OR_PLURAL,
    "ngettext": (1, 2),
}
METHOD_MAP = [
    ("bot/**.py", "python"),
    ("handlers/**.py", "python"),
    ("services/**.py", "python"),
    ("reminders/**.py", "python"),
    ("webapp/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
SOURCE_DIRS = ("bot", "handlers", "services", "reminders", "templates", "webapp")


@dataclass(frozen=True)
class Msg:
    id: str
    plural: str | None
    where: str


def extracted() -> Iterator[Msg]:
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        str(PROJECT_ROOT),
        method_map=METHOD_MAP,
        options_map=options,
        keywords=KEYWORDS,  # type: ignore[arg-type]
    ):
        if not any(filename.startswith(d + "/") for d in SOURCE_DIRS):
            continue
        if isinstance(message, tuple):
            singular, plural = message[0], message[1]
            # aiogram's gettext(singular, plural, n) is how plurals are written in Python.
            yield Msg(singular, plural or None, f"{filename}:{lineno}")
        else:
            yield Msg(message, None, f"{filename}:{lineno}")


def missing(lang: str) -> list[Msg]:
    catalog = merged_catalog(lang, LOCALES_DIR)
    gaps: dict[str, Msg] = {}
    for msg in extracted():
        entry = catalog.get(msg.id)
        strings = entry.string if entry is not None else ""
        values = list(strings) if isinstance(strings, tuple | list) else [strings]
        if entry is None or entry.fuzzy or not all(values):
            gaps.setdefault(msg.id, msg)
    return list(gaps.values())


def as_po(msgs: list[Msg]) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    out = []
    for msg in msgs:
        out.append(f"#: {msg.where}")
        out.append(f"msgid {quote(msg.id)}")
        if msg.plural:
            out.append(f"msgid_plural {quote(msg.plural)}")
            out.extend(f'msgstr[{i}] ""' for i in range(3))
        else:
            out.append('msgstr ""')
        out.append("")
    return "\n".join(out)
