"""The outbox: queueing ready-made messages and documents, claiming due rows, returning expired
leases.

Claiming takes every due row of up to `users` recipients at once, so that what one person has
due goes out as one digest message. SQLite claims with a single `UPDATE … RETURNING`
(writers are serialised); PostgreSQL locks the rows with `FOR UPDATE SKIP LOCKED` first, so
two claimers never get one row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy import and_, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import Outbox, OutboxDocument, OutboxKind, OutboxStatus
from models.sql import insert_ignore
from reminders.bulk import OUTBOX

log = logging.getLogger(__name__)

Button = dict[str, str]  # {"text": …, "callback_data": …} or {"text": …, "url": …}
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_FILE_NAME = 255
MAX_CALLBACK_BYTES = 64
MESSAGE_KEY_PREFIX = "msg:"


def _check_buttons(buttons: Sequence[Sequence[Button]]) -> list[list[Button]]:
    rows = [[dict(button) for button in row] for row in buttons]
    for button in (b for row in rows for b in row):
        if not button.get("text") or not ({"callback_data", "url"} & button.keys()):
            raise ValueError(f"a button needs text and callback_data or url: {button!r}")
        if len(button.get("callback_data", "").encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {button!r}")
    return rows


async def enqueue_message(
    session: AsyncSession,
    user_id: int,
    key: str,
    text: str,
    due_at: dt.datetime,
    *,
    buttons: Sequence[Sequence[Button]] | None = None,
    event_id: int | None = None,
    expires_at: dt.datetime | None = None,
    topic: str = "message",
    now: dt.datetime | None = None,
) -> bool:
    """Queues a notification rendered by the caller (HTML, in the recipient's language).

    `key` names the notification uniquely, e.g. `f"status:{event_id}:{status}:{user_id}"`;
    queueing the same key again does nothing. Runs in the caller's transaction and never
    commits. Returns True when the row is new."""
    if due_at.tzinfo is None:
        raise ValueError("due_at must be an aware datetime")
    if not text.strip() or len(text) > MAX_TEXT:
        raise ValueError(f"text must be 1..{MAX_TEXT} characters")
    values = {
        "key": MESSAGE_KEY_PREFIX + key,
        "user_id": user_id,
        "event_id": event_id,
        "kind": OutboxKind.MESSAGE.value,
        "step": topic,
        "due_at": due_at,
        "expires_at": expires_at,
        "text": text,
        "buttons": None if buttons is None else _check_buttons(buttons),
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": due_at,
        "created_at": now or due_at,
    }
    statement = insert_ignore(session, OUTBOX, "key").values(values).returning(OUTBOX.c.id)
    return (await session.execute(statement)).scalar_one_or_none() is not None


async def enqueue_menu_button(
    session: AsyncSession, user_id: int, key: str, url: str | None, now: dt.datetime
) -> bool:
    """Queues setting the person's menu button to the panel at `url` (None: back to Telegram's
    default), for a change made outside their own chat (a role revoked by someone else).
    Idempotent by `key`; in the caller's transaction. Returns True when the row is new."""
    values = {
        "key": f"menu:{key}",
        "user_id": user_id,
        "kind": OutboxKind.MENU.value,
        "step": "menu",
        "due_at": now,
        "payload": {"url": url},
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    statement = insert_ignore(session, OUTBOX, "key").values(values).returning(OUTBOX.c.id)
    return (await session.execute(statement)).scalar_one_or_none() is not None


def caption_fits(text: str) -> bool:
    """Within Telegram's 1024 characters of a caption (UTF-16 units; tags and entities are
    counted as written, so an HTML caption that fits here fits once parsed)."""
    return len(text.encode("utf-16-le")) // 2 <= MAX_CAPTION


async def enqueue_document(  # noqa: PLR0913 - the row's fields
    session: AsyncSession,
    user_id: int,
    key: str,
    file_name: str,
    due_at: dt.datetime,
    *,
    content: bytes | None = None,
    file_id: str | None = None,
    caption: str = "",
    buttons: Sequence[Sequence[Button]] | None = None,
    expires_at: dt.datetime | None = None,
    topic: str = "document",
    now: dt.datetime | None = None,
) -> bool:
    """Queues a file: `content` (bytes a job made, kept in the database until Telegram has
    them) or `file_id` (a file Telegram already has), with an HTML caption in the recipient's
    language. Same key rules and transaction as `enqueue_message`; True when the row is new."""
    if (content is None) == (file_id is None):
        raise ValueError("a document needs either content or a file_id")
    if content is not None and not content:
        raise ValueError("a document cannot be empty")
    if not caption_fits(caption):
        raise ValueError(f"a caption has at most {MAX_CAPTION} characters")
    if due_at.tzinfo is None:
        raise ValueError("due_at must be an aware datetime")
    name = file_name.strip()[:MAX_FILE_NAME] or "file"
    values = {
        "key": MESSAGE_KEY_PREFIX + key,
        "user_id": user_id,
        "kind": OutboxKind.DOCUMENT.value,
        "step": topic,
        "due_at": due_at,
        "expires_at": expires_at,
        "text": caption,
        "buttons": None if buttons is None else _check_buttons(buttons),
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": due_at,
        "created_at": now or due_at,
    }
    statement = insert_ignore(session, OUTBOX, "key").values(values).returning(OUTBOX.c.id)
    row_id = (await session.execute(statement)).scalar_one_or_none()
    if row_id is None:
        return False
    await session.execute(
        insert(OutboxDocument).values(
            outbox_id=row_id, file_name=name, content=content, file_id=file_id
        )
    )
    return True


async def due_recipients(session: AsyncSession, now: dt.datetime, users: int) -> list[int]:
    """Up to `users` people with rows due, the longest overdue first: one walk of the
    (status, next_attempt_at) index that stops as soon as enough people are found."""
    due = and_(Outbox.status == OutboxStatus.PENDING, Outbox.next_attempt_at <= now)
    found: list[int] = []
    offset, page = 0, users * 8
    while len(found) < users:
        rows = (
            await session.scalars(
                select(Outbox.user_id)
                .where(due)
                .order_by(Outbox.next_attempt_at, Outbox.id)
                .offset(offset)
                .limit(page)
            )
        ).all()
        for user_id in rows:
            if user_id not in found:
                found.append(user_id)
                if len(found) == users:
                    break
        if len(rows) < page:
            break
        offset += page
    return found


async def claim_batch(
    session: AsyncSession, now: dt.datetime, *, users: int, lease: dt.timedelta
) -> list[int]:
    """Marks every due row of up to `users` recipients `sending` until `now + lease`; the
    caller commits. Two steps: pick the recipients, then claim their rows (skipping rows
    another claimer holds on PostgreSQL; SQLite has one writer at a time)."""
    recipients = await due_recipients(session, now, users)
    if not recipients:
        return []
    due = and_(
        Outbox.status == OutboxStatus.PENDING,
        Outbox.next_attempt_at <= now,
        Outbox.user_id.in_(recipients),
    )
    target = due
    if session.get_bind().dialect.name == "postgresql":
        locked = select(Outbox.id).where(due).with_for_update(skip_locked=True)
        ids = list((await session.scalars(locked)).all())
        if not ids:
            return []
        target = and_(Outbox.id.in_(ids), Outbox.status == OutboxStatus.PENDING)
    statement = (
        update(Outbox)
        .where(target)
        .values(status=OutboxStatus.SENDING, lease_until=now + lease, attempts=Outbox.attempts + 1)
        .returning(Outbox.id)
        .execution_options(synchronize_session=False)
    )
    return sorted((await session.scalars(statement)).all())


async def release_orphans(session: AsyncSession) -> int:
    """Every row left `sending`, whatever its lease: called by a process that has just taken
    the delivery lease, when no other process can be sending. A row whose message was on its
    way to Telegram at the moment the previous holder died goes out again: the duplicates are
    bounded by the sends that were in flight (Telegram has no idempotency key)."""
    released = (
        await session.scalars(
            update(Outbox)
            .where(Outbox.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING, lease_until=None)
            .returning(Outbox.id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    if released:
        log.warning("took back %d rows a previous lease holder left sending", len(released))
    return len(released)


async def release_expired(session: AsyncSession, now: dt.datetime) -> int:
    """Rows left `sending` by a worker that died go back to pending (sent again: see
    `reminders.sender` on the one window where that can duplicate a message)."""
    released = (
        await session.scalars(
            update(Outbox)
            .where(Outbox.status == OutboxStatus.SENDING, Outbox.lease_until < now)
            .values(status=OutboxStatus.PENDING, lease_until=None)
            .returning(Outbox.id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    if released:
        log.warning("returned %d rows with an expired lease to pending", len(released))
    return len(released)
