"""Killing the bot mid-burst loses no update and handles none twice (issue 16, item 4).

A real `python -m bot run` process polls the fake Bot API server; bursts of 40 students press
«Записаться» at once, and the process is killed (SIGKILL, or SIGTERM as a deploy sends) at a
random moment and started again at once. Afterwards every press is a registration, no callback
query was answered twice, and every restart was polling again within a few seconds.
"""

from __future__ import annotations

import asyncio
import random
import signal
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.writes import card_messages, seed
from models.db import create_engine, create_sessionmaker
from models.olympiad import Registration
from offline.api_server import FakeBotAPI
from tests.support.reference import reference
from tests.support.serve import BotProcess, bot_environment, inbox_states, migrated_demo
from ui.callbacks.catalog import CatAct, CatCb

# Real bot processes timed against each other: under pytest-xdist these share one worker, so
# they never compete with one another for the cores (scripts/test runs with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("real_processes")
BURST = 40
FIRST_POLL_SECONDS = 3.0


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(process_timeout=30.0) as server:
        yield server


async def world(
    fake_api: FakeBotAPI, url: str, rounds: int
) -> tuple[list[list[int]], dict[int, int], str]:
    await migrated_demo(url)
    engine = create_engine(url)
    try:
        users, event_id = await seed(
            create_sessionmaker(engine), reference(), BURST * rounds, demo=False
        )
    finally:
        await engine.dispose()
    for user in users:
        fake_api.add_user(user, "Ученик")
    data = CatCb(act=CatAct.REGISTER, ev=event_id).pack()
    bot = fake_api.make_bot()
    try:
        cards = await card_messages(bot, users, data)
    finally:
        await bot.session.close()
    bursts = [users[i * BURST : (i + 1) * BURST] for i in range(rounds)]
    return bursts, cards, data


async def registrations(url: str) -> int:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            return int(await session.scalar(select(func.count(Registration.id))) or 0)
    finally:
        await engine.dispose()


async def until_registered(url: str, expected: int, timeout: float = 300.0) -> int:
    deadline = time.monotonic() + timeout
    found = await registrations(url)
    while found < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        found = await registrations(url)
    return found


def answers_per_query(fake_api: FakeBotAPI) -> Counter[str]:
    return Counter(
        str(c.params.get("callback_query_id"))
        for c in fake_api.calls
        if c.method == "answerCallbackQuery" and c.ok
    )


async def play(fake_api: FakeBotAPI, folder: Path, sig: signal.Signals, rounds: int) -> None:
    url = f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}"
    bursts, cards, data = await world(fake_api, url, rounds)
    bot = BotProcess(fake_api, folder, bot_environment(fake_api, url))
    chance = random.Random(1603)  # noqa: S311 - moments to kill at, not secrets
    try:
        await bot.start()
        for burst in bursts:
            for user in burst:
                fake_api.queue_click(user, cards[user], data)
            await asyncio.sleep(chance.uniform(0.05, 1.5))
            code = await bot.stop(sig)
            if sig == signal.SIGTERM:
                assert code == 0, (folder / f"bot-{bot.starts}.log").read_text()[-3000:]
            await bot.start()
        found = await until_registered(url, BURST * rounds)
        assert await bot.stop(signal.SIGTERM) == 0
    finally:
        bot.kill_quietly()
    errors = [
        line
        for log in sorted(folder.glob("bot-*.log"))
        for line in log.read_text(errors="replace").splitlines()
        if "ERROR" in line or "Error" in line
    ]
    assert found == BURST * rounds, (
        f"{BURST * rounds - found} registrations lost; "
        f"inbox {await inbox_states(url)}; errors: {errors[:20]}"
    )
    doubled = {q: n for q, n in answers_per_query(fake_api).items() if n > 1}
    assert not doubled, f"callback queries answered twice: {doubled}"
    states = await inbox_states(url)
    assert states.get("new", 0) == 0 and states.get("failed", 0) == 0, states
    assert states["done"] >= BURST * rounds
    polls = sorted(bot.first_polls)
    print(f"{sig.name}: {rounds} restarts, first poll after "  # noqa: T201 - a figure to read
          f"{polls[0]:.2f}-{polls[-1]:.2f}s, median {statistics.median(polls):.2f}s")  # fmt: skip
    # The target is 3 s; a machine busy with other work stretches single starts, not most.
    assert statistics.median(polls) <= FIRST_POLL_SECONDS, polls
    assert polls[-1] <= 3 * FIRST_POLL_SECONDS, polls


async def test_sigkill_at_random_moments_loses_and_doubles_nothing(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    await play(fake_api, tmp_path, signal.SIGKILL, rounds=20)


async def test_sigterm_finishes_or_keeps_what_was_fetched(
    fake_api: FakeBotAPI, tmp_path: Path
) -> None:
    await play(fake_api, tmp_path, signal.SIGTERM, rounds=5)
