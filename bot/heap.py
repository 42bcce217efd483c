"""What start-up built, set aside from the garbage collector once the bot is up.

Modules, aiogram's types, the reference data and the templates make a heap of a few hundred
thousand objects that live as long as the process. Each full collection walked all of them: a
229 ms pause, which set p99 of /help at 100 updates/s to about 200 ms (bench.writes --paced).
Frozen, the full collection walks only what came after (28 ms). Only the bot's own process
does this (`python -m bot run`): a test process that serves many bots must not keep them all.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def settle_heap() -> None:
    gc.collect()
    gc.freeze()
    log.debug("start-up heap frozen: %d objects", gc.get_freeze_count())
