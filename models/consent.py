"""A parent's consent to a student's participation, per student and school year, and its data
access (queries that never commit)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.people import User


class ConsentMethod(StrEnum):
    BOT = "bot"  # a linked parent confirmed with a button
    PAPER = "paper"  # a curator marked a signed paper form received


class Consent(Base):
    """One row per student and school year; withdrawing keeps the row, giving again reuses it
    (the audit log keeps the history)."""

    __tablename__ = "consent"
    __table_args__ = (UniqueConstraint("student_id", "school_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    school_year: Mapped[int]  # 2026 = 2026/27
    method: Mapped[ConsentMethod] = mapped_column(String(8))
    given_at: Mapped[datetime]
    given_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


async def consent_of(session: AsyncSession, student_id: int, school_year: int) -> Consent | None:
    return await session.scalar(
        select(Consent).where(Consent.student_id == student_id, Consent.school_year == school_year)
    )


async def consented(
    session: AsyncSession, student_ids: Collection[int], school_year: int
) -> set[int]:
    """The students among `student_ids` whose consent for the year is given and not withdrawn."""
    if not student_ids:
        return set()
    rows = await session.scalars(
        select(Consent.student_id).where(
            Consent.student_id.in_(list(student_ids)),
            Consent.school_year == school_year,
            Consent.withdrawn_at.is_(None),
        )
    )
    return set(rows)


async def consented_in(
    session: AsyncSession, school_ids: Collection[int], school_year: int
) -> set[int]:
    """The students of the schools whose consent for the year is given and not withdrawn."""
    if not school_ids:
        return set()
    rows = await session.scalars(
        select(Consent.student_id)
        .join(User, User.id == Consent.student_id)
        .where(
            User.school_id.in_(list(school_ids)),
            Consent.school_year == school_year,
            Consent.withdrawn_at.is_(None),
        )
    )
    return set(rows)


async def give(
    session: AsyncSession,
    student_id: int,
    school_year: int,
    method: ConsentMethod,
    by_id: int | None,
    now: datetime,
) -> Consent:
    """The year's consent given (again); the caller checks who may give it."""
    row = await consent_of(session, student_id, school_year)
    if row is None:
        row = Consent(student_id=student_id, school_year=school_year, method=method,
                      given_at=now, given_by_id=by_id)  # fmt: skip
        session.add(row)
    else:
        row.method, row.given_at, row.given_by_id = method, now, by_id
        row.withdrawn_at = row.withdrawn_by_id = None
    await session.flush()
    return row


async def withdraw(session: AsyncSession, row: Consent, by_id: int | None, now: datetime) -> None:
    row.withdrawn_at, row.withdrawn_by_id = now, by_id
    await session.flush()
