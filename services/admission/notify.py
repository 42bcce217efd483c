"""Telling the admitted, their parents and their curators: one message per person.

A student hears about all their subjects at once; a parent about each of their children; a
curator about the students of their schools (a long list is cut, the export has it whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Level
from models.olympiad import Subject
from models.people import User
from services.notify import curators_of, notify, parents_of

if TYPE_CHECKING:
    from services.admission.preview import Admit

# Keeps a curator's message well under Telegram's 4096 characters.
MAX_LISTED = 30


@dataclass
class _Admitted:
    name: str
    grade: int
    school_id: int | None
    subject_ids: list[int]


def _by_student(admits: Sequence[Admit]) -> dict[int, _Admitted]:
    found: dict[int, _Admitted] = {}
    for admit in admits:
        candidate, person = admit.found.candidate, admit.found.person
        entry = found.setdefault(
            candidate.student_id, _Admitted(person.name, candidate.grade, person.school_id, [])
        )
        entry.subject_ids.append(candidate.subject_id)
    return found


async def _audiences(
    session: AsyncSession, students: dict[int, _Admitted]
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Parent → their admitted children; curator → admitted students of their schools."""
    children: dict[int, list[int]] = {}
    for child_id, parent_ids in (await parents_of(session, students)).items():
        for parent_id in parent_ids:
            children.setdefault(parent_id, []).append(child_id)
    schools = {e.school_id for e in students.values() if e.school_id is not None}
    pupils: dict[int, list[int]] = {}
    for school_id, curator_ids in (await curators_of(session, schools)).items():
        mine = [sid for sid, e in students.items() if e.school_id == school_id]
        for curator_id in curator_ids:
            pupils.setdefault(curator_id, []).extend(mine)
    return children, pupils


async def notify_admitted(
    session: AsyncSession, admits: Sequence[Admit], level: Level, key: str, now: datetime
) -> int:
    """Queues the notices; returns how many messages were queued."""
    if not admits:
        return 0
    students = _by_student(admits)
    subjects = {s.id: s for s in await session.scalars(select(Subject))}
    children, pupils = await _audiences(session, students)

    def described(student_id: int, user: User) -> dict[str, Any]:
        entry = students[student_id]
        english = user.locale == "en"
        names = sorted(
            subjects[s].name_en if english else subjects[s].name_ru for s in entry.subject_ids
        )
        return {"name": entry.name, "grade": entry.grade, "subjects": names}

    def listing(ids: dict[int, list[int]], user: User) -> dict[str, Any]:
        listed = sorted((described(s, user) for s in ids[user.id]), key=lambda d: d["name"])
        return {"level": level, "students": listed[:MAX_LISTED], "more": len(listed) - MAX_LISTED}

    sent = await notify(
        session, students, f"{key}:s", "notifications/admitted_student.html", now,
        context=lambda user: {"level": level, **described(user.id, user)},
    )  # fmt: skip
    for ids, audience in ((children, "parent"), (pupils, "curator")):
        sent += await notify(
            session, ids, f"{key}:{audience[0]}", f"notifications/admitted_{audience}.html", now,
            context=partial(listing, ids),
        )  # fmt: skip
    return sent
