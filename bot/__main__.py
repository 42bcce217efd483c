"""Entry point: `python -m bot [run|console|migrate|load-data PATH|compile-locales|i18n]`."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import sys
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="poll Telegram; without BOT_TOKEN, open the offline console chat")
    sub.add_parser("console", help="the offline console chat with the demo data")
    sub.add_parser("migrate", help="apply database migrations")
    load = sub.add_parser("load-data", help="load reference data or a deployment's schools")
    load.add_argument("path")
    sub.add_parser("compile-locales", help="build the translation catalogs")
    i18n = sub.add_parser("i18n", help="list strings a language has no translation for")
    i18n.add_argument("lang", nargs="?", default="ru")
    return parser


async def _run(settings: Settings) -> int:
    from bot.heap import settle_heap
    from bot.run import serve

    return await serve(settings, on_ready=settle_heap)


async def _console(settings: Settings) -> int:
    from bot.console_input import greet

    # The prompt comes first; the bot (aiogram's types take seconds to import) loads behind it.
    reader = greet(sys.stdin, sys.stdout)
    console = await asyncio.to_thread(importlib.import_module, "bot.console")
    code: int = await console.run_console(settings, sys.stdin, sys.stdout, reader=reader)
    return code


async def _migrate(settings: Settings) -> int:
    from bot.migrate import upgrade_database

    await upgrade_database(settings.database_url)
    log.info("database is up to date")
    return 0


async def _load_data(settings: Settings, path: str) -> int:
    from bot.data_commands import load_data

    return await load_data(settings, path)


def _i18n(lang: str) -> int:
    from bot.i18n_tools import as_po, missing

    gaps = missing(lang)
    sys.stdout.write(as_po(gaps))
    return 1 if gaps else 0


def _offline_tools(args: argparse.Namespace) -> int:
    """Commands that need no settings, so that they work before .env is written."""
    if args.command == "i18n":
        return _i18n(args.lang)
    from bot.catalogs import CatalogError, compile_catalogs

    try:
        compile_catalogs()
    except CatalogError as exc:
        sys.stderr.write(f"Translations do not compile: {exc}\n")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in ("compile-locales", "i18n"):
        return _offline_tools(args)
    try:
        settings = load_settings()
    except SettingsError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    from bot.logging_setup import setup_logging

    command = args.command or "run"
    console = command == "console" or (command == "run" and settings.offline)
    # The console's screen belongs to the chat; its log goes to a file.
    log_file = Path("data") / "console" / "bot.log" if console else None
    setup_logging(settings.log_level, settings.log_format, file=log_file)
    try:
        return asyncio.run(_command(command, console, settings, args))
    except SettingsError as exc:  # found only on use, such as a database that cannot be opened
        sys.stderr.write(f"{exc}\n")
        sys.stderr.flush()
        # A driver whose connection failed may leave its worker thread waiting; the interpreter's
        # shutdown would then print that thread's traceback under the one clear line.
        os._exit(2)


async def _command(
    command: str, console: bool, settings: Settings, args: argparse.Namespace
) -> int:
    if console:
        return await _console(settings)
    if command == "run":
        return await _run(settings)
    if command == "migrate":
        return await _migrate(settings)
    return await _load_data(settings, args.path)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
