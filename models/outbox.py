"""Outgoing notifications (the outbox), their delivery log, the worker lease and reminder prefs.

Every message the bot sends on its own initiative is a row here first, written in the same
transaction as the change that causes it; a delivery worker sends the rows later.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by the worker; `lease_until` says until when
    SENT = "sent"
    FAILED = "failed"  # gave up after retries or on a permanent error
    DROPPED = "dropped"  # not sent on purpose: too late, recipient unreachable, muted
    CANCELLED = "cancelled"  # no longer applies (event moved or cancelled, registration gone)


class OutboxKind(StrEnum):
    REMINDER = "reminder"  # a step of an event (or a creation deadline) is coming
    CHECK = "check"  # a control-point report, computed when it is sent
    NUDGE = "nudge"  # a control point found this recipient lagging
    MESSAGE = "message"  # text rendered by the feature that enqueued it
    MENU = "menu"  # the chat's menu button: the panel's (payload "url") or back to the default
    DOCUMENT = "document"  # a file (`outbox_document`), `text` its caption


class DeliveryOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # network error or 5xx: tried again later
    RATE_LIMITED = "rate_limited"  # 429: tried again after `retry_after`
    UNREACHABLE = "unreachable"  # 403: the person blocked the bot
    FAILED = "failed"
    DROPPED = "dropped"


class Outbox(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_user_id_status", "user_id", "status"),
        # An event's rows (re-planning it) and one person's rows of one event (a registration).
        Index("ix_outbox_event_id_user_id", "event_id", "user_id"),
        # The rows about one thing that is not an event (a student's consent, a school's
        # digest), found without reading the rest when it is re-planned.
        Index("ix_outbox_topic", "topic"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Idempotency key: kind, recipient, event, step and due instant; re-planning is a no-op.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("olympiad_event.id", ondelete="CASCADE"), default=None
    )
    kind: Mapped[OutboxKind] = mapped_column(String(16))
    step: Mapped[str] = mapped_column(String(64), default="")
    topic: Mapped[str | None] = mapped_column(String(64), default=None)
    audience: Mapped[str] = mapped_column(String(16), default="")
    due_at: Mapped[datetime]
    # The instant of the step the row announces, and the zone its rule is stated in.
    step_at: Mapped[datetime | None] = mapped_column(default=None)
    step_zone: Mapped[str | None] = mapped_column(String(64), default=None)
    # Not sent at or after this instant (a reminder after its deadline is noise).
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    buttons: Mapped[list[list[dict[str, str]]] | None] = mapped_column(JSON, default=None)
    status: Mapped[OutboxStatus] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    tg_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime]


class OutboxDocument(Base):
    """The file of a `document` row: bytes made by a background job, or a Telegram file id.

    Stored in the database (no local file, no process memory), so a restart or another replica
    sends it. Once Telegram has the upload, its file id is kept and the bytes are dropped."""

    __tablename__ = "outbox_document"

    outbox_id: Mapped[int] = mapped_column(
        ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True
    )
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    file_id: Mapped[str | None] = mapped_column(String(255), default=None)


class DeliveryLog(Base):
    """One line per delivery outcome; kept when outbox rows are cleaned up."""

    __tablename__ = "delivery_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(index=True)
    user_id: Mapped[int] = mapped_column(index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    outcome: Mapped[DeliveryOutcome] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(500), default="")
    tg_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    at: Mapped[datetime]


class WorkerLease(Base):
    """Who may deliver: one row per worker name; a holder renews it before it expires."""

    __tablename__ = "worker_lease"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]
    acquired_at: Mapped[datetime]


class ReminderPreference(Base):
    """A person's reminder settings; no row means the defaults of their roles."""

    __tablename__ = "reminder_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    # Minutes before a step; None keeps the per-role defaults.
    offsets: Mapped[list[int] | None] = mapped_column(JSON, default=None)
    # Quiet hours as minutes after local midnight; equal values switch them off.
    quiet_start: Mapped[int] = mapped_column(SmallInteger, default=22 * 60)
    quiet_end: Mapped[int] = mapped_column(SmallInteger, default=8 * 60)
    # A daily digest at this local minute instead of reminders at their own moments.
    digest_at: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    updated_at: Mapped[datetime]


class CalendarQuiet(Base):
    """A person's quiet hours for one calendar's reminders, instead of their general ones."""

    __tablename__ = "calendar_quiet_hours"
    __table_args__ = (UniqueConstraint("user_id", "calendar"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    calendar: Mapped[str] = mapped_column(String(32))  # a calendar's code ("olympiad", ...)
    quiet_start: Mapped[int] = mapped_column(SmallInteger)  # minutes after local midnight
    quiet_end: Mapped[int] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime]


class Mute(Base):
    """`event:<id>`, `step:<code>` (a category) or `done:<event id>:<code>` (marked done)."""

    __tablename__ = "mute"
    __table_args__ = (UniqueConstraint("user_id", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
