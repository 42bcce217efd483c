"""The shape of a synthetic region and the bulk inserts it is built with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

_CHUNK = 5000
Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Shape:
    students: int = 1000
    municipalities: int = 2
    schools_per_municipality: int = 5
    subjects: int = 24
    parent_every: int = 4
    registered_every: int = 5
    zone: str = "Asia/Sakhalin"
    first_stage_day: dt.date = dt.date(2026, 10, 1)
    tg_base: int = 1_000_000


@dataclass
class SyntheticRegion:
    region_id: int
    municipality_ids: list[int] = field(default_factory=list)
    school_ids: list[int] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)
    student_ids: list[int] = field(default_factory=list)
    parent_ids: list[int] = field(default_factory=list)
    staff_ids: dict[str, list[int]] = field(default_factory=dict)  # by role
    school_of_student: dict[int, int] = field(default_factory=dict)


async def next_id(session: AsyncSession, model: Any) -> int:
    return int((await session.execute(select(func.max(model.id)))).scalar() or 0) + 1


async def bulk(session: AsyncSession, model: Any, rows: Rows) -> None:
    for start in range(0, len(rows), _CHUNK):
        await session.execute(insert(model), rows[start : start + _CHUNK])
