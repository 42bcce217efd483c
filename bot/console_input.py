"""The console's typed lines, and a quiet stop on SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import signal
import threading
from contextlib import suppress
from typing import IO


class LineReader:
    """Lines of a stream, read in a daemon thread; None at its end or when asked to stop.

    A thread of asyncio's executor would keep the process waiting for one more line after a
    stop; a daemon thread does not, so SIGTERM and Ctrl-C end the chat like `:quit`."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._pump, name="console-input", daemon=True).start()

    def _pump(self) -> None:
        while True:
            line = self._stream.readline()
            try:
                self._loop.call_soon_threadsafe(self._queue.put_nowait, line or None)
            except RuntimeError:  # the loop is closed: the console has ended
                return
            if not line:
                return

    def stop(self) -> None:
        self._queue.put_nowait(None)

    async def next_line(self) -> str | None:
        line = await self._queue.get()
        return None if line is None else line.rstrip("\r\n")

    def stop_on_signals(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            with suppress(NotImplementedError, RuntimeError):  # no signals outside main thread
                self._loop.add_signal_handler(sig, self.stop)


PROMPT = "› "
GREETING = (
    "Offline console chat with the bot (demo data, no Telegram needed).\n"
    "Type /start to begin, :help for console commands, :quit to leave.\n"
)


def greet(stdin: IO[str], stdout: IO[str]) -> LineReader:
    """The greeting and the first prompt, and a reader that keeps what is typed from now on
    (the bot may still be loading: the first line waits for it)."""
    stdout.write(GREETING + PROMPT)
    stdout.flush()
    reader = LineReader(stdin)
    reader.stop_on_signals()
    return reader
