"""Showing a code: to the student and their linked parents on the event card once released, to
the curators of the student's school on their list. Each showing is audited by the code's row
id (never the code itself)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models.people import User
from services.audit import record as audit
from services.codes import store
from services.people.identity import Identity
from services.scopes import Scope, school_scope


@dataclass(frozen=True)
class CodeLine:
    """What the event card says about the code: the code once released, else when it will be."""

    release_at: dt.datetime
    value: str | None
    reserve: bool


async def _scope(session: AsyncSession, student: User) -> Scope:
    return await school_scope(session, student.school_id) if student.school_id else Scope()


async def card_code(
    session: AsyncSession, viewer: Identity, student: User, event_id: int, now: dt.datetime
) -> CodeLine | None:
    """The code line of the card `viewer` opened for `student` (themselves or a linked child;
    the caller has checked that link). Records the showing when the code is shown."""
    code = await store.current_code(session, event_id, student.id)
    if code is None or code.release_at is None:
        return None
    if now < code.release_at:
        return CodeLine(code.release_at, None, code.reserve)
    await audit.record(
        session, viewer, "code_shown", await _scope(session, student), f"code:{code.id}", now,
        after={"student": student.id, "event": event_id},
    )  # fmt: skip
    return CodeLine(code.release_at, code.code, code.reserve)
