"""`python -m bot run` sets its start-up heap aside from the collector once it is up."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest

import bot.__main__ as entry
import bot.run
from bot.heap import settle_heap
from bot.settings import Settings


def test_settle_heap_freezes_what_lives_now() -> None:
    assert gc.get_freeze_count() == 0
    try:
        settle_heap()
        assert gc.get_freeze_count() > 10_000  # modules, types: start-up's objects
    finally:
        gc.unfreeze()


async def test_the_bot_process_settles_its_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[Callable[[], None] | None] = []

    async def serve(_settings: Settings, *, on_ready: Callable[[], None] | None = None) -> int:
        handed.append(on_ready)
        return 0

    monkeypatch.setattr(bot.run, "serve", serve)
    assert await entry._run(Settings(_env_file=None)) == 0
    assert handed == [settle_heap]
