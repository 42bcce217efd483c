"""A curator (or the organiser) reissues a student's code: the old one is void, a reserve code
takes its place and everyone who had the old one is told the new one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models.olympiad import OlympiadEvent
from models.olympiad_day import CodeState, ParticipantCode
from services.audit import record as audit
from services.authz import Action, authorize
from services.codes import store
from services.codes.deliver import Given, deliver
from services.errors import Refused
from services.people.identity import Identity
from services.results.access import event_scope, load_event
from services.scopes import Scope, school_scope


@dataclass(frozen=True)
class Reissued:
    old_id: int
    new_id: int
    student_id: int


async def _authorize(
    session: AsyncSession, ident: Identity, event: OlympiadEvent, school_id: int | None
) -> Scope:
    """The organiser for the whole event; a curator for the students of their own school."""
    target = event_scope(event)
    if school_id is not None:
        school = await school_scope(session, school_id)
        if school.within(target):
            target = school
    authorize(ident, Action.REISSUE_CODE, target, event.level)
    return target


async def reissue(
    session: AsyncSession, ident: Identity, code_id: int, now: dt.datetime
) -> Reissued:
    old = await session.get(ParticipantCode, code_id)
    if old is None or old.state != CodeState.ASSIGNED or old.student_id is None:
        raise Refused("codes_not_assigned")
    event = await load_event(session, old.event_id)
    found = await store.holders(session, event, [old.student_id])
    if not found:
        raise Refused("codes_not_assigned")
    holder = found[0]
    scope = await _authorize(session, ident, event, holder.school_id)
    new = await store.take_reserve(session, event.id)
    if new is None:
        raise Refused("codes_no_reserve")
    await store.void(session, old, now)
    new.state, new.student_id, new.assigned_at = CodeState.ASSIGNED, holder.student_id, now
    new.release_at = old.release_at
    await session.flush()
    await deliver(session, event, [Given(new, holder)], now, reissued=True)
    await audit.record(
        session, ident, "code_reissued", scope, f"code:{old.id}", now,
        after={"new": new.id, "student": holder.student_id},
    )  # fmt: skip
    return Reissued(old.id, new.id, holder.student_id)
