"""Recording what happened to outbox rows; each call is one short transaction of its own."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.outbox import DeliveryLog, DeliveryOutcome, Outbox, OutboxDocument, OutboxStatus
from models.people import User
from reminders.sync import set_status

log = logging.getLogger(__name__)


class Outcomes:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def sent(  # noqa: PLR0913 - the outcome's facts
        self,
        user_id: int,
        chat_id: int,
        ids: Sequence[int],
        message_id: int | None,
        now: dt.datetime,
        *,
        file_id: str | None = None,
    ) -> None:
        """Recorded in one commit; a document's bytes give way to the file id Telegram gave."""
        async with self._sessionmaker() as session, session.begin():
            if file_id is not None:
                await session.execute(
                    update(OutboxDocument)
                    .where(OutboxDocument.outbox_id.in_(ids))
                    .values(file_id=file_id, content=None)
                    .execution_options(synchronize_session=False)
                )
            await set_status(
                session,
                ids,
                OutboxStatus.SENT,
                sent_at=now,
                lease_until=None,
                tg_message_id=message_id,
                last_error=None,
            )
            await _log(
                session, user_id, chat_id, ids, DeliveryOutcome.SENT, now, message_id=message_id
            )

    async def retry(
        self,
        user_id: int,
        chat_id: int,
        ids: Sequence[int],
        at: dt.datetime,
        outcome: DeliveryOutcome,
        error: str,
        now: dt.datetime,
    ) -> None:
        # Flood control is not the row's fault: a 429 gives its attempt back.
        refund = 1 if outcome == DeliveryOutcome.RATE_LIMITED else 0
        async with self._sessionmaker() as session, session.begin():
            await set_status(
                session,
                ids,
                OutboxStatus.PENDING,
                next_attempt_at=at,
                lease_until=None,
                last_error=error[:500],
                attempts=Outbox.attempts - refund,
            )
            await _log(session, user_id, chat_id, ids, outcome, now, detail=error)

    async def release(self, ids: Sequence[int]) -> None:
        """Back to pending untried (this process lost its lease before sending them)."""
        async with self._sessionmaker() as session, session.begin():
            await set_status(session, ids, OutboxStatus.PENDING, lease_until=None,
                             attempts=Outbox.attempts - 1)  # fmt: skip

    async def finish(
        self,
        user_id: int,
        chat_id: int | None,
        ids: Sequence[int],
        status: OutboxStatus,
        outcome: DeliveryOutcome,
        reason: str,
        now: dt.datetime,
    ) -> None:
        if not ids:
            return
        async with self._sessionmaker() as session, session.begin():
            await finish_rows(session, user_id, chat_id, ids, status, outcome, reason, now)

    async def unreachable(
        self, user_id: int, chat_id: int, ids: Sequence[int], error: str, now: dt.datetime
    ) -> None:
        """A 403: the person blocked the bot. What is due for them now is dropped; later rows
        wait and are dropped when due unless the person comes back before."""
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                update(User)
                .where(User.id == user_id, User.unreachable_since.is_(None))
                .values(unreachable_since=now)
                .execution_options(synchronize_session=False)
            )
            due = await session.scalars(
                update(Outbox)
                .where(
                    Outbox.user_id == user_id,
                    Outbox.status == OutboxStatus.PENDING,
                    Outbox.next_attempt_at <= now,
                )
                .values(status=OutboxStatus.DROPPED, last_error="unreachable")
                .returning(Outbox.id)
                .execution_options(synchronize_session=False)
            )
            also = due.all()
            await finish_rows(
                session,
                user_id,
                chat_id,
                ids,
                OutboxStatus.DROPPED,
                DeliveryOutcome.UNREACHABLE,
                error,
                now,
            )
            await _log(
                session, user_id, chat_id, also, DeliveryOutcome.DROPPED, now, detail="unreachable"
            )
        log.info("user %s blocked the bot; dropped %d rows", user_id, len(ids) + len(also))


async def finish_rows(
    session: AsyncSession,
    user_id: int,
    chat_id: int | None,
    ids: Sequence[int],
    status: OutboxStatus,
    outcome: DeliveryOutcome,
    reason: str,
    now: dt.datetime,
) -> None:
    await set_status(session, ids, status, lease_until=None, last_error=reason[:500])
    await _log(session, user_id, chat_id, ids, outcome, now, detail=reason)


async def _log(
    session: AsyncSession,
    user_id: int,
    chat_id: int | None,
    ids: Sequence[int],
    outcome: DeliveryOutcome,
    now: dt.datetime,
    *,
    detail: str = "",
    message_id: int | None = None,
) -> None:
    if not ids:
        return
    await session.execute(
        insert(DeliveryLog),
        [
            {
                "outbox_id": row_id,
                "user_id": user_id,
                "chat_id": chat_id,
                "outcome": outcome,
                "detail": detail[:500],
                "tg_message_id": message_id,
                "at": now,
            }
            for row_id in ids
        ],
    )
