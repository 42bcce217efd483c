"""Updates per second of one webhook replica and of two, on one PostgreSQL database.

    .venv/bin/python -m bench.replicas
    .venv/bin/python -m bench.replicas --users 400 \
        --database-url postgresql+asyncpg://postgres@127.0.0.1/postgres

Real `python -m bot run` processes in webhook mode (as deployed behind a load balancer), the
strict fake Bot API server posting the updates over up to 40 connections, taking the replicas
in turn. Known students each send /help; an update counts when its reply reaches the server.
Prints updates/s for one replica and for two, and the ratio (target ≥ 1.7× where the CPU
allows: the replicas, PostgreSQL and the fake server share this machine's cores).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import bench_database
from bench.writes import NOW, seed
from bot.migrate import stamp_database
from bot.settings import PROJECT_ROOT
from models.db import create_engine, create_sessionmaker
from offline.api_server import FakeBotAPI
from services.reference.loader import load_reference

SECRET = "bench_secret"
PUBLIC = "https://bot.example.org/tg/hook"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=400)
    parser.add_argument(
        "--database-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(
    server: FakeBotAPI, url: str, name: str, port: int, logs: Path
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BOT_TOKEN": server.token, "TELEGRAM_API_URL": server.base_url,
           "DATABASE_URL": url, "CLOCK_START": NOW.isoformat(), "INSTANCE_NAME": name,
           "THROTTLE_RATE": "0", "LOG_LEVEL": "WARNING", "DELIVERY_INTERVAL_SECONDS": "3600",
           "WEB_PORT": str(port), "WEBHOOK_URL": PUBLIC, "WEBHOOK_SECRET": SECRET,
           "PYTHONPATH": str(PROJECT_ROOT)}  # fmt: skip
    return subprocess.Popen(  # noqa: S603 - the bot's own entry point
        [sys.executable, "-m", "bot", "run"], env=env, cwd=logs,
        stdout=(logs / f"{name}.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip


async def run_replicas(server: FakeBotAPI, url: str, users: list[int], count: int) -> float:
    with tempfile.TemporaryDirectory(prefix="replicas-") as folder:
        ports = [free_port() for _ in range(count)]
        before = len(server.calls_to("setWebhook"))
        procs = [spawn(server, url, f"bench-{count}-{i}", port, Path(folder))
                 for i, port in enumerate(ports)]  # fmt: skip
        try:
            while len(server.calls_to("setWebhook")) < before + count:
                assert all(p.poll() is None for p in procs), "a replica exited"
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # let them settle (commands published, workers started)
            return await measure(server, users, [f"http://127.0.0.1:{p}/tg/hook" for p in ports])
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                proc.wait(30)


async def measure(server: FakeBotAPI, users: list[int], targets: list[str]) -> float:
    since = len(server.calls)
    for user in users:
        server.queue_text(user, "/help")
    started = time.monotonic()
    await server.deliver_webhook(*targets, parallel=40)
    waiting = set(users)
    while waiting and time.monotonic() - started < 120:  # noqa: PLR2004
        for call in server.calls[since:]:
            if call.method == "sendMessage" and call.chat_id in waiting:
                waiting.discard(call.chat_id)
        since = len(server.calls)
        await asyncio.sleep(0.02)
    elapsed = time.monotonic() - started
    return (len(users) - len(waiting)) / elapsed


async def main(args: argparse.Namespace) -> None:
    async with bench_database(args.database_url, "replicas-bench") as url, FakeBotAPI() as server:
        await stamp_database(url)
        engine = create_engine(url)
        try:
            users, _ = await seed(create_sessionmaker(engine), load_reference(
                PROJECT_ROOT / "data" / "reference"), args.users * 2)  # fmt: skip
        finally:
            await engine.dispose()
        for user in users:
            server.add_user(user, "Ученик")
        one = await run_replicas(server, url, users[: args.users], 1)
        two = await run_replicas(server, url, users[args.users :], 2)
    print(f"database: {url.split(':')[0]}; {args.users} known users send /help each run")
    print(f"one replica: {one:7.1f} updates/s")
    print(f"two replicas: {two:7.1f} updates/s")
    print(f"ratio {two / one:.2f}× (target ≥ 1.7× where {os.cpu_count()} cores allow)")


if __name__ == "__main__":
    asyncio.run(main(parse()))
