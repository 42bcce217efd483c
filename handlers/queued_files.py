"""What a background job has to say goes to the outbox with its outcome, then out at once.

A job queues its file and messages in the transaction that records it done, so a restart
between "done" and "sent" loses nothing and sends once (the delivery worker owns the sending:
its rate gate, 429 handling, retries and leases). The job then asks for a drain, so nobody waits
for the next tick; a replica without the delivery lease leaves that to the lease holder.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram.types import InlineKeyboardMarkup

log = logging.getLogger(__name__)
Deliver = Callable[[], Awaitable[object]]


def button_rows(markup: InlineKeyboardMarkup | None) -> list[list[dict[str, str]]] | None:
    """An inline keyboard as the outbox stores it."""
    if markup is None:
        return None
    fields = {"text", "callback_data", "url"}
    return [
        [b.model_dump(include=fields, exclude_none=True) for b in row]
        for row in markup.inline_keyboard
    ]


async def deliver_now(deliver: Deliver | None) -> None:
    if deliver is None:
        return
    try:
        await deliver()
    except Exception:  # the rows are queued: the worker's next tick sends them
        log.exception("could not deliver at once; the delivery worker sends on its next tick")
