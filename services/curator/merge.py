"""Moving an offline student record onto the Telegram account that claimed it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.admission import PriorAward
from models.enums import PersonKind
from models.olympiad import Registration
from models.people import ParentLink, User


async def _move(
    session: AsyncSession,
    table: Any,
    owner: str,
    unique_with: list[str],
    *,
    source: int,
    target: int,
) -> None:
    """Re-points `source`'s rows to `target`, dropping those `target` already has an equal of."""
    other = aliased(table)
    clash = exists().where(
        getattr(other, owner) == target,
        *(getattr(other, name) == getattr(table, name) for name in unique_with),
    )
    await session.execute(
        update(table)
        .where(getattr(table, owner) == source, ~clash)
        .values({owner: target})
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(table)
        .where(getattr(table, owner) == source)
        .execution_options(synchronize_session=False)
    )


async def merge_into(session: AsyncSession, record: User, account: User, now: datetime) -> int:
    """The account takes the record's place; returns how many registrations moved over."""
    moved = await session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.student_id == record.id,
            Registration.event_id.not_in(
                select(Registration.event_id).where(Registration.student_id == account.id)
            ),
        )
    )
    await _move(
        session, Registration, "student_id", ["event_id"], source=record.id, target=account.id
    )
    await _move(
        session, ParentLink, "child_id", ["parent_id"], source=record.id, target=account.id
    )
    award_key = ["subject_id", "level", "school_year"]
    await _move(session, PriorAward, "student_id", award_key, source=record.id, target=account.id)
    account.kind = PersonKind.STUDENT
    account.school_id = record.school_id
    account.grade = record.grade
    if record.full_name:
        account.full_name = record.full_name  # the name the school knows the student by
    account.onboarded_at = account.onboarded_at or now
    await session.delete(record)
    await session.flush()
    return int(moved or 0)
