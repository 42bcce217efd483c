"""A class list being imported in the background: durable, so another replica or a restart
picks it up (a job left running past its lease is claimed again)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class UploadStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"  # claimed; `lease_until` says until when
    DONE = "done"
    FAILED = "failed"


class UploadJob(Base):
    __tablename__ = "upload_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)  # the progress message
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # dropped once done
    status: Mapped[UploadStatus] = mapped_column(
        String(16), default=UploadStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
