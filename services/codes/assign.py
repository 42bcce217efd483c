"""Giving codes to students: everyone registered when the file arrives, a reserve code to whoever
registers later, and taking a code back when a student withdraws."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models.olympiad import OlympiadEvent
from models.olympiad_day import CodeState, EventDaySetting, ParticipantCode
from services.codes import store
from services.codes.deliver import Given, deliver
from services.codes.store import Holder
from services.rules.olympiad_day import parse_hhmm, release_instant

log = logging.getLogger(__name__)


def _release(event: OlympiadEvent, holder: Holder, release_time: dt.time) -> dt.datetime:
    return release_instant(event.date_for_grade(holder.grade), release_time, holder.zone)


def _give(
    code: ParticipantCode, holder: Holder, at: dt.datetime, now: dt.datetime
) -> ParticipantCode:
    code.state = CodeState.ASSIGNED
    code.student_id = holder.student_id
    code.release_at = at
    code.assigned_at = now
    return code


async def release_time(
    session: AsyncSession, event_id: int, default: dt.time, now: dt.datetime
) -> dt.time:
    setting = await store.setting_of(session, event_id, now)
    return parse_hhmm(setting.release_time) if setting.release_time else default


async def assign_all(
    session: AsyncSession, event: OlympiadEvent, default_time: dt.time, now: dt.datetime
) -> tuple[int, int]:
    """Gives a main code (a reserve one when the main run out) to each registered student
    without one; returns (given, left without a code)."""
    at_time = await release_time(session, event.id, default_time, now)
    holding = await store.holding(session, event.id)
    waiting = [h for h in await store.holders(session, event) if h.student_id not in holding]
    pool = [*await store.free_codes(session, event.id, False),
            *await store.free_codes(session, event.id, True)]  # fmt: skip
    given = [
        Given(_give(code, holder, _release(event, holder, at_time), now), holder)
        for code, holder in zip(pool, waiting, strict=False)
    ]
    await session.flush()
    setting = await store.setting_of(session, event.id, now)
    # The time in force is kept: a late registration reads it without the reference data.
    setting.release_time, setting.codes_assigned_at = at_time.strftime("%H:%M"), now
    await deliver(session, event, given, now)
    return len(given), len(waiting) - len(given)


async def _event(session: AsyncSession, event_id: int) -> OlympiadEvent | None:
    # A select, not session.get: an event already in the session still gets its subject.
    return await session.scalar(
        select(OlympiadEvent)
        .options(joinedload(OlympiadEvent.subject))
        .where(OlympiadEvent.id == event_id)
    )


async def on_registered(
    session: AsyncSession, event_id: int, student_id: int, now: dt.datetime
) -> bool:
    """A late registration: once the event's codes were given out, a reserve code right away
    (delivered at the release instant, or now when that has passed). True when one was given."""
    setting = await session.get(EventDaySetting, event_id)
    if setting is None or setting.codes_assigned_at is None or setting.release_time is None:
        return False
    event = await _event(session, event_id)
    if event is None:
        return False
    if await store.current_code(session, event_id, student_id) is not None:
        return False
    found = await store.holders(session, event, [student_id])
    code = await store.take_reserve(session, event_id)
    if not found or code is None:
        log.warning("no reserve code left", extra={"event_id": event_id})
        return False
    at_time = parse_hhmm(setting.release_time)
    given = Given(_give(code, found[0], _release(event, found[0], at_time), now), found[0])
    await session.flush()
    await deliver(session, event, [given], now)
    return True


async def on_unregistered(
    session: AsyncSession, event_id: int, student_id: int, now: dt.datetime
) -> None:
    """A withdrawn student's code is void: never shown, never delivered, never given again."""
    code = await store.current_code(session, event_id, student_id)
    if code is not None:
        await store.void(session, code, now)
