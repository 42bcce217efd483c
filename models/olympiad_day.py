"""The olympiad day and after: participant codes, per-event settings of the day, appeals.

A code is a secret of one student: it is stored here and in the outbox row that delivers it,
and nowhere else (audit entries name the code's row id, never the code).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class CodeState(StrEnum):
    FREE = "free"  # uploaded, not given to anyone
    ASSIGNED = "assigned"
    VOID = "void"  # reissued or withdrawn: never valid again


class AppealState(StrEnum):
    FILED = "filed"
    CHANGED = "changed"  # answered, the score changed
    UNCHANGED = "unchanged"  # answered, the score stays


class ParticipantCode(Base):
    __tablename__ = "participant_code"
    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        Index("ix_participant_code_event_id_student_id", "event_id", "student_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("olympiad_event.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64))
    reserve: Mapped[bool] = mapped_column(default=False)
    state: Mapped[CodeState] = mapped_column(String(16), default=CodeState.FREE)
    student_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    # The instant the code may be shown: the stage day at the release time in the school's zone.
    release_at: Mapped[datetime | None] = mapped_column(default=None)
    assigned_at: Mapped[datetime | None] = mapped_column(default=None)
    voided_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]


class EventDaySetting(Base):
    """What an organiser set for one event: when codes are released, how long appeals run."""

    __tablename__ = "event_day_setting"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("olympiad_event.id", ondelete="CASCADE"), primary_key=True
    )
    release_time: Mapped[str | None] = mapped_column(String(5), default=None)  # "HH:MM" local
    codes_assigned_at: Mapped[datetime | None] = mapped_column(default=None)
    appeal_until: Mapped[datetime | None] = mapped_column(default=None)
    appeal_hours: Mapped[int | None] = mapped_column(default=None)
    updated_at: Mapped[datetime]


class Appeal(Base):
    __tablename__ = "appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("olympiad_event.id", ondelete="CASCADE"), index=True
    )
    student_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    filed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    task: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[AppealState] = mapped_column(String(16), default=AppealState.FILED)
    old_score: Mapped[float | None] = mapped_column(Float, default=None)
    new_score: Mapped[float | None] = mapped_column(Float, default=None)
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    filed_at: Mapped[datetime]
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
