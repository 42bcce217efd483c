"""The update queue behind ``getUpdates``: long polling, confirmation by offset, conflicts."""

from __future__ import annotations

import asyncio
from typing import Any

from offline.state import ApiError, PendingUpdate

MAX_LIMIT = 100
MAX_POLL_SECONDS = 50
# What Telegram delivers when allowed_updates was never set or was set to an empty list.
DEFAULT_ALLOWED = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class UpdateQueue:
    def __init__(self, first_update_id: int = 1) -> None:
        self._next_id = first_update_id
        self.pending: list[PendingUpdate] = []
        self.allowed: frozenset[str] = DEFAULT_ALLOWED
        self.poll_count = 0
        self._generation = 0
        self._closing = False
        self._changed: asyncio.Event | None = None

    def _event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def _notify(self) -> None:
        event = self._event()
        self._changed = asyncio.Event()
        event.set()

    async def wait_changed(self, timeout: float) -> None:
        """Sleep until something happens to the queue or a poll arrives."""
        event = self._event()
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return

    def put(self, kind: str, body: dict[str, Any], call_index: int) -> PendingUpdate:
        update_id = self._next_id
        self._next_id += 1
        pending = PendingUpdate(
            update_id=update_id,
            kind=kind,
            payload={"update_id": update_id, kind: body},
            call_index=call_index,
            done=asyncio.get_running_loop().create_future(),
        )
        self.pending.append(pending)
        self._notify()
        return pending

    def close(self) -> None:
        self._closing = True
        for pending in self.pending:
            _finish(pending, processed=False)
        self.pending.clear()
        self._notify()

    def drop_pending(self) -> None:
        for pending in self.pending:
            _finish(pending, processed=False)
        self.pending.clear()

    def confirm_one(self, pending: PendingUpdate) -> None:
        """A webhook delivery the bot answered with 200."""
        _finish(pending, processed=True)
        self.pending = [p for p in self.pending if p is not pending]

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            for pending in self.pending:
                if pending.update_id < offset:
                    _finish(pending, processed=True)
            self.pending = [p for p in self.pending if p.update_id >= offset]
        elif offset < 0:
            forgotten, self.pending = self.pending[:offset], self.pending[offset:]
            for pending in forgotten:
                _finish(pending, processed=False)

    def _select(self, limit: int) -> list[PendingUpdate]:
        kept: list[PendingUpdate] = []
        for pending in self.pending:
            if pending.kind in self.allowed:
                kept.append(pending)
            else:
                # Telegram never delivers an update of a type the bot did not ask for.
                _finish(pending, processed=False)
        self.pending = kept
        return kept[:limit]

    async def get_updates(
        self, offset: int, limit: int, timeout: int, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        if allowed is not None:
            self.allowed = frozenset(allowed) or DEFAULT_ALLOWED
        self._confirm(offset)
        self._generation += 1
        generation = self._generation
        self.poll_count += 1
        self._notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(max(timeout, 0), MAX_POLL_SECONDS)
        limit = min(max(limit, 1), MAX_LIMIT)
        while True:
            if generation != self._generation:
                raise ApiError(409, CONFLICT)
            batch = self._select(limit)
            if batch:
                for pending in batch:
                    pending.delivered = True
                return [pending.payload for pending in batch]
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing:
                return []
            await self.wait_changed(remaining)


def _finish(pending: PendingUpdate, *, processed: bool) -> None:
    if not pending.done.done():
        pending.done.set_result(processed)
