"""ФИС ОКО-style data collections (seed 004): a window, the organisations concerned, each one's
state, and the report built in the background; АИС СГО card completeness (seed 001)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.uploads import UploadStatus


class OrgState(StrEnum):
    NOT_STARTED = "not_started"  # «Не приступил»
    IN_PROGRESS = "in_progress"  # «В работе»
    SUBMITTED = "submitted"  # «Сдано»


class Collection(Base):
    __tablename__ = "data_collection"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    # The opener's municipality, or None when a regional coordinator opened it.
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), default=None
    )
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    template_file_id: Mapped[str | None] = mapped_column(String(200), default=None)
    template_name: Mapped[str | None] = mapped_column(String(200), default=None)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime]


class CollectionOrg(Base):
    """One organisation concerned by a collection, and how far it got."""

    __tablename__ = "data_collection_org"
    __table_args__ = (UniqueConstraint("collection_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("data_collection.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    state: Mapped[OrgState] = mapped_column(String(16), default=OrgState.NOT_STARTED)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)


class CollectionReport(Base):
    """A report asked for: durable, so another replica or a restart builds and sends it."""

    __tablename__ = "data_collection_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("data_collection.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[UploadStatus] = mapped_column(
        String(16), default=UploadStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class CardCompleteness(Base):
    """How completely an organisation's cards are filled in АИС СГО, in tenths of a per cent
    (89.9 % is 899: the bands' edges are exact)."""

    __tablename__ = "card_completeness"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), unique=True
    )
    tenths: Mapped[int]
    source: Mapped[str] = mapped_column(String(16))  # "bot" or "table"
    reported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    reported_at: Mapped[datetime]
