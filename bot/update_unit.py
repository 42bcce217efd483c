"""The update as a unit of work: one session, committed before anything is shown to the user.

What a user sees must never be ahead of what is committed, and SQLite must not hold its write
lock across a call to Telegram. So the first request the update makes to Telegram commits what
the handler did so far (and, when the update came through the inbox, its "done" mark in the
same commit); the rest of the handler goes on in a new transaction, committed at the end.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from models import inbox


class AlreadyHandledError(Exception):
    """Another process finished this update first; this one's effects must be rolled back."""


@dataclass
class Receipt:
    """Handed in with an update from the inbox; `done` once its "done" mark has committed."""

    update_id: int
    done: bool = False


@dataclass
class UpdateUnit:
    session: AsyncSession
    clock: Clock
    receipt: Receipt | None = None  # set when the update came through the inbox
    task: asyncio.Task[object] | None = field(default_factory=asyncio.current_task)
    closed: bool = False
    committed: bool = False  # something of this update is committed, and maybe shown
    # FSM records read ahead with the person (key → record, None: there is none), so the
    # state costs no query of its own (bot/fsm_storage.py).
    states: dict[str, object] = field(default_factory=dict)

    def owns_current_task(self) -> bool:
        """A task started by a handler inherits the context; it must not commit the update."""
        return not self.closed and asyncio.current_task() is self.task

    async def commit(self) -> None:
        receipt = self.receipt
        if receipt is not None and not receipt.done:
            await self._mark_done(receipt)
        await self.session.commit()
        self.committed = True
        if receipt is not None:
            receipt.done = True

    async def _mark_done(self, receipt: Receipt) -> None:
        if not await inbox.mark_done(self.session, receipt.update_id, self.clock.now()):
            raise AlreadyHandledError(receipt.update_id)


current_unit: ContextVar[UpdateUnit | None] = ContextVar("current_unit", default=None)


def current_session() -> AsyncSession | None:
    unit = current_unit.get()
    return unit.session if unit is not None and not unit.closed else None
