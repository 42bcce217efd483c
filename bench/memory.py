"""Idle memory of the bot beside a bare aiogram echo bot, both polling the fake Bot API server.

    .venv/bin/python -m bench.memory                 # 20 s idle each, 3 rounds
    .venv/bin/python -m bench.memory --root DIR      # the bot of another checkout (before/after)
    .venv/bin/python -m bench.memory --health-port 18080   # serving /healthz and /metrics

Each process is started the way a deployment starts it (`python -m bot migrate` on a fresh SQLite
file, then `python -m bot run`: reference data, the delivery worker; `python -m bench.echo_bot`),
waited for until its first getUpdates, left idle, and its resident set size (VmRSS) read from
/proc. The issue's bound: the bot's idle RSS ≤ the echo bot's + 40 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
from pathlib import Path

from offline.api_server import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent
BOUND_MB = 40.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def idle_rss(  # noqa: PLR0913 - one knob per setting of the run
    server: FakeBotAPI, module: str, root: Path, idle: float, db: Path, extra: dict[str, str]
) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "BOT_TOKEN": server.token,
        "TELEGRAM_API_URL": server.base_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    if (
        module == "bot"
    ):  # as a deployment does (Dockerfile): migrate, then start on a current database
        migrate = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "migrate", cwd=root, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await migrate.wait()
    polls = server.updates.poll_count
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, *(["run"] if module == "bot" else []),
        cwd=root, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        async with asyncio.timeout(120):
            while server.updates.poll_count == polls:
                if process.returncode is not None:
                    msg = f"{module} exited with {process.returncode} (run it by hand to see why)"
                    raise RuntimeError(msg)
                await asyncio.sleep(0.1)
        await asyncio.sleep(idle)
        return rss_mb(process.pid)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()


async def measure(
    root: Path, idle: float, rounds: int, extra: dict[str, str]
) -> tuple[float, float]:
    echo, bot = [], []
    async with FakeBotAPI() as server:
        for n in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                echo_db, bot_db = Path(tmp) / "e", Path(tmp) / "bot.sqlite3"
                echo.append(await idle_rss(server, "bench.echo_bot", ROOT, idle, echo_db, {}))
                bot.append(await idle_rss(server, "bot", root, idle, bot_db, extra))
            print(f"round {n + 1}: echo bot {echo[-1]:.1f} MB, bot {bot[-1]:.1f} MB")
    return statistics.median(echo), statistics.median(bot)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--idle", type=float, default=20.0, help="seconds idle before reading")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose bot to start")
    parser.add_argument("--health-port", type=int, help="HEALTH_PORT of the bot (default unset)")
    args = parser.parse_args()
    extra = {"HEALTH_PORT": str(args.health_port)} if args.health_port else {"HEALTH_PORT": ""}
    echo, bot = asyncio.run(measure(args.root.resolve(), args.idle, args.rounds, extra))
    diff = bot - echo
    verdict = "within" if diff <= BOUND_MB else "OVER"
    print(f"idle RSS (median): echo bot {echo:.1f} MB, bot {bot:.1f} MB")
    print(f"difference {diff:+.1f} MB")
    print(f"{verdict} the bound of echo + {BOUND_MB:.0f} MB")


if __name__ == "__main__":
    main()
