"""Steps of the schools' data calendars, per organisation: done (by whom, when, with what file).

A step of a calendar (a row of «Паспорт школы», the results upload of one ВПР work, a ФИС ОКО
collection) is named by the calendar's code and an `item` key the feature chooses (the track
and step code; for ВПР the work's id too). No row means "not started".
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

ORG_SCHOOL = "school"
ORG_MUNICIPALITY = "municipality"
ORG_REGION = "region"


class StepMark(Base):
    """One organisation's step marked done; the signed form is kept as a Telegram file id."""

    __tablename__ = "step_mark"
    __table_args__ = (UniqueConstraint("calendar", "item", "org_kind", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar: Mapped[str] = mapped_column(String(32))
    item: Mapped[str] = mapped_column(String(96))
    org_kind: Mapped[str] = mapped_column(String(16))  # school / municipality / region
    org_id: Mapped[int]
    done_at: Mapped[datetime]
    done_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    file_id: Mapped[str | None] = mapped_column(String(200), default=None)
    file_name: Mapped[str | None] = mapped_column(String(200), default=None)


class PlanWork(Base):
    """One work of a plan-schedule (ВПР: subject, grade, W, U) for a region, municipality or
    school; `scope_key` ("r<id>", "m<id>", "s<id>") makes a re-uploaded row replace the old."""

    __tablename__ = "plan_work"
    __table_args__ = (UniqueConstraint("calendar", "scope_key", "subject", "grade"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar: Mapped[str] = mapped_column(String(32))
    scope_key: Mapped[str] = mapped_column(String(24), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), default=None
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), default=None
    )
    subject: Mapped[str] = mapped_column(String(100))
    grade: Mapped[int]
    track: Mapped[str] = mapped_column(String(32))
    work_on: Mapped[dt.date]
    upload_on: Mapped[dt.date]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime]


async def marks_of(
    session: AsyncSession, calendar: str, org_kind: str, org_ids: list[int]
) -> dict[tuple[str, int], StepMark]:
    """The marks of these organisations in one calendar, by (item, organisation id)."""
    if not org_ids:
        return {}
    rows = await session.scalars(
        select(StepMark).where(
            StepMark.calendar == calendar,
            StepMark.org_kind == org_kind,
            StepMark.org_id.in_(org_ids),
        )
    )
    return {(mark.item, mark.org_id): mark for mark in rows}
