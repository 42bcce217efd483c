"""Notifications rendered for each recipient in their language and queued in the outbox.

Nothing is sent from here: rows are added to the caller's transaction, and the delivery worker
sends them (rate limits, retries, blocked users) after the change commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from aiogram.utils.i18n import get_i18n
from sqlalchemy.ext.asyncio import AsyncSession

from models.people import User
from reminders.outbox import caption_fits, enqueue_document, enqueue_message
from ui.templating import render

Context: TypeAlias = Mapping[str, Any] | Callable[[User], Mapping[str, Any]] | None


@dataclass(frozen=True)
class Button:
    """An inline button of a notification; `label` is an English msgid, translated per person."""

    label: str
    callback_data: str


async def queue_notices(
    session: AsyncSession,
    users: Iterable[User],
    key: str,
    template: str,
    now: datetime,
    *,
    context: Context = None,
    buttons: Sequence[Button] = (),
    expires_at: datetime | None = None,
) -> int:
    """Renders `templates/<template>` for each person and queues it; returns how many are new."""
    i18n = get_i18n()
    queued = 0
    for user in users:
        values = context(user) if callable(context) else (context or {})
        with i18n.use_locale(user.locale or i18n.default_locale):
            text = render(template, recipient=user, **values)
            rows = [
                [{"text": i18n.gettext(b.label), "callback_data": b.callback_data}]
                for b in buttons
            ]
        key_of = f"{key}:{user.id}"
        if await enqueue_message(
            session, user.id, key_of, text, now, buttons=rows, expires_at=expires_at
        ):
            queued += 1
    return queued


@dataclass(frozen=True)
class Attachment:
    """A file Telegram already has (its file id), sent with a notice."""

    file_id: str
    file_name: str


async def queue_notices_with_file(  # noqa: PLR0913 - the rows' fields
    session: AsyncSession,
    users: Iterable[User],
    key: str,
    template: str,
    now: datetime,
    attachment: Attachment,
    *,
    context: Context = None,
    buttons: Sequence[Button] = (),
    expires_at: datetime | None = None,
) -> int:
    """As `queue_notices`, with the file: one document whose caption is the notice, or, when
    the notice is longer than a caption may be, the notice and then the file."""
    i18n = get_i18n()
    queued = 0
    for user in users:
        values = context(user) if callable(context) else (context or {})
        with i18n.use_locale(user.locale or i18n.default_locale):
            text = render(template, recipient=user, **values)
            rows = [
                [{"text": i18n.gettext(b.label), "callback_data": b.callback_data}]
                for b in buttons
            ]
        key_of = f"{key}:{user.id}"
        caption = text
        if not caption_fits(text):
            await enqueue_message(
                session, user.id, key_of, text, now, buttons=rows, expires_at=expires_at
            )
            caption, rows, key_of = "", [], f"{key_of}:file"
        if await enqueue_document(
            session, user.id, key_of, attachment.file_name, now, file_id=attachment.file_id,
            caption=caption, buttons=rows or None, expires_at=expires_at,
        ):  # fmt: skip
            queued += 1
    return queued


async def queue_notice_at(  # noqa: PLR0913 - the row's fields
    session: AsyncSession,
    user: User,
    key: str,
    template: str,
    due_at: datetime,
    now: datetime,
    *,
    context: Mapping[str, Any],
    buttons: Sequence[Button] = (),
    expires_at: datetime | None = None,
) -> bool:
    """One notice rendered in the person's language, sent at `due_at` (not after `expires_at`);
    True when the row is new (the same `key` again is a no-op)."""
    i18n = get_i18n()
    with i18n.use_locale(user.locale or i18n.default_locale):
        text = render(template, recipient=user, **context)
        rows = [
            [{"text": i18n.gettext(b.label), "callback_data": b.callback_data}] for b in buttons
        ]
    return await enqueue_message(
        session, user.id, key, text, due_at, buttons=rows, expires_at=expires_at, now=now,
        topic="calendar_step",
    )  # fmt: skip
