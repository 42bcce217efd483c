"""Delivering codes through the outbox: to the student, their linked parents and the curators
of their school (a curator's message lists only their own school's students). Nothing else
ever carries a code: no group chat, no log line, no audit text."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.olympiad import OlympiadEvent
from models.olympiad_day import ParticipantCode
from models.people import User
from services.codes.store import Holder
from services.notify import curators_of, notify, parents_of


@dataclass(frozen=True)
class Given:
    """A code just given to a student (assigned, a reserve one, or reissued)."""

    code: ParticipantCode
    holder: Holder


def _subject(event: OlympiadEvent, user: User) -> str:
    return event.subject.name_en if user.locale == "en" else event.subject.name_ru


async def deliver(
    session: AsyncSession,
    event: OlympiadEvent,
    given: Sequence[Given],
    now: dt.datetime,
    *,
    reissued: bool = False,
) -> int:
    """Queues each code at its release instant (now, when that has passed); returns how many."""
    queued = 0
    parents = await parents_of(session, [g.holder.student_id for g in given])
    for item in given:
        due = max(item.code.release_at or now, now)

        def values(user: User, item: Given = item) -> dict[str, Any]:
            return {"subject": _subject(event, user), "level": event.level,
                    "value": item.code.code, "name": item.holder.name,
                    "reissued": reissued}  # fmt: skip

        key = f"code:{item.code.id}"
        queued += await notify(
            session, [item.holder.student_id], f"{key}:s", "notifications/code_student.html",
            due, context=values,
        )  # fmt: skip
        queued += await notify(
            session, parents.get(item.holder.student_id, []), f"{key}:p",
            "notifications/code_parent.html", due, context=values,
        )  # fmt: skip
    return queued + await _curators(session, event, given, now, reissued)


async def _curators(
    session: AsyncSession,
    event: OlympiadEvent,
    given: Sequence[Given],
    now: dt.datetime,
    reissued: bool,
) -> int:
    """One list per school and release instant, to that school's curators only."""
    batches: dict[tuple[int, dt.datetime], list[Given]] = defaultdict(list)
    for item in given:
        if item.holder.school_id is not None:
            due = max(item.code.release_at or now, now)
            batches[(item.holder.school_id, due)].append(item)
    curators = await curators_of(session, {school for school, _ in batches})
    queued = 0
    for (school, due), items in batches.items():
        rows = sorted((i.holder.name, i.holder.grade, i.code.code) for i in items)
        first = min(i.code.id for i in items)

        def values(user: User, rows: list[tuple[str, int, str]] = rows) -> dict[str, Any]:
            return {"subject": _subject(event, user), "level": event.level, "rows": rows,
                    "reissued": reissued}  # fmt: skip

        # A later batch (a late student, a reissue) is a message of its own.
        queued += await notify(
            session, curators.get(school, []), f"codes:{event.id}:{school}:{first}:{len(items)}",
            "notifications/code_curator.html", due, context=values,
        )  # fmt: skip
    return queued
