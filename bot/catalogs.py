"""Translations: gettext catalogs kept as per-feature fragments, compiled into one domain.

Each feature keeps its strings in `locales/<lang>/<feature>.po` so that features do not edit one
shared file; `compile_catalogs` merges the fragments into `LC_MESSAGES/messages.mo`, which is what
aiogram's `I18n` reads. Compiling is skipped while the fragments are unchanged (a digest of them
is kept beside the .mo), and each file is replaced atomically: another process starting at the
same time reads either the old catalog or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from bot.settings import PROJECT_ROOT, SUPPORTED_LOCALES

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALES_DIR = PROJECT_ROOT / "locales"
DOMAIN = "messages"
log = logging.getLogger(__name__)


class CatalogError(Exception):
    pass


def merged_catalog(lang: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    # Babel's catalog tools load only when a fragment changed, not in every running bot.
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale=lang, domain=DOMAIN, fuzzy=False)
    seen: dict[object, Path] = {}
    for fragment in _fragments(lang, locales_dir):
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


def compile_catalogs(locales_dir: Path = LOCALES_DIR, *, force: bool = True) -> list[Path]:
    """Compiles each language's fragments; unless forced, only those changed since last time."""
    written = []
    for lang in SUPPORTED_LOCALES:
        target = mo_path(lang, locales_dir)
        digest = sources_digest(lang, locales_dir)
        if not force and _up_to_date(target, digest):
            continue
        catalog = merged_catalog(lang, locales_dir)
        from babel.messages.mofile import write_mo

        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, partial(write_mo, catalog=catalog, use_fuzzy=False))
        replace_atomically(_stamp(target), partial(_write_text, text=digest))
        log.info("compiled translations", extra={"path": str(target)})
        written.append(target)
    return written


def mo_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def sources_digest(lang: str, locales_dir: Path = LOCALES_DIR) -> str:
    """Names and contents of a language's fragments: any edit, addition or removal changes it."""
    digest = hashlib.sha256()
    for fragment in _fragments(lang, locales_dir):
        digest.update(fragment.name.encode() + b"\0" + fragment.read_bytes() + b"\0")
    return digest.hexdigest()


def replace_atomically(target: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Writes a temporary file beside `target`, then renames it over `target` in one step."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(temp, 0o644)  # mkstemp makes it private; the bot may run as another user
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _fragments(lang: str, locales_dir: Path) -> list[Path]:
    return sorted((locales_dir / lang).glob("*.po"))


def _up_to_date(target: Path, digest: str) -> bool:
    stamp = _stamp(target)
    return target.is_file() and stamp.is_file() and stamp.read_text() == digest


def _write_text(fh: IO[bytes], text: str) -> None:
    fh.write(text.encode())


def _stamp(target: Path) -> Path:
    return target.with_name(target.name + ".sources")
