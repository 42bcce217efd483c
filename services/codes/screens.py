"""What /codes shows: the events a person handles codes for, the organiser's totals, and a
curator's list of their own school's students (codes visible from their release instant)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models.enums import EventStatus
from models.olympiad import OlympiadEvent, Registration
from models.olympiad_day import CodeState, ParticipantCode
from models.people import User
from services.audit import record as audit
from services.authz import Action, allowed, authorize
from services.codes import store
from services.errors import Refused
from services.people.identity import Identity
from services.results.access import curator_scopes, event_scope, load_event
from services.rules.olympiad_day import parse_hhmm

_OPEN = (EventStatus.REGISTRATION, EventStatus.CONDUCTING, EventStatus.SUMMARIZING)


@dataclass(frozen=True)
class CodesEvent:
    event: OlympiadEvent
    organiser: bool
    schools: frozenset[int]  # the schools whose students' codes the person looks after


@dataclass(frozen=True)
class Totals:
    by_state: dict[tuple[bool, str], int]  # (reserve, state) → how many
    registered: int
    without_code: int
    release_time: str | None


@dataclass(frozen=True)
class SchoolRow:
    code_id: int
    name: str
    grade: int
    release_at: dt.datetime | None
    value: str | None  # None until released
    reserve: bool


async def _access(session: AsyncSession, ident: Identity, event: OlympiadEvent) -> CodesEvent:
    organiser = allowed(ident, Action.UPLOAD_CODES, event_scope(event), event.level)
    schools = frozenset(
        s.school_id
        for s in await curator_scopes(session, ident)
        if s.school_id is not None
        and s.within(event_scope(event))
        and allowed(ident, Action.REISSUE_CODE, s, event.level)
    )
    return CodesEvent(event, organiser, schools)


async def codes_events(session: AsyncSession, ident: Identity) -> list[CodesEvent]:
    query = (
        select(OlympiadEvent)
        .options(joinedload(OlympiadEvent.subject))
        .where(OlympiadEvent.status.in_(_OPEN))
        .order_by(OlympiadEvent.held_on, OlympiadEvent.id)
    )
    found = []
    for event in (await session.scalars(query)).unique():
        access = await _access(session, ident, event)
        if access.organiser or access.schools:
            found.append(access)
    return found


async def codes_event(session: AsyncSession, ident: Identity, event_id: int) -> CodesEvent:
    access = await _access(session, ident, await load_event(session, event_id))
    if not (access.organiser or access.schools):
        raise Refused("forbidden")
    return access


async def totals(session: AsyncSession, event: OlympiadEvent, now: dt.datetime) -> Totals:
    rows = await session.execute(
        select(ParticipantCode.reserve, ParticipantCode.state, func.count())
        .where(ParticipantCode.event_id == event.id)
        .group_by(ParticipantCode.reserve, ParticipantCode.state)
    )
    by_state = {(bool(r), str(s)): int(n) for r, s, n in rows.all()}
    registered = await session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id)
    )
    holding = await store.holding(session, event.id)
    setting = await store.setting_of(session, event.id, now)
    count = int(registered or 0)
    return Totals(by_state, count, max(count - len(holding), 0), setting.release_time)


async def school_rows(
    session: AsyncSession, event: OlympiadEvent, schools: frozenset[int], now: dt.datetime
) -> list[SchoolRow]:
    rows = await session.execute(
        select(ParticipantCode, User.full_name, Registration.grade)
        .join(User, ParticipantCode.student_id == User.id)
        .join(
            Registration,
            (Registration.student_id == User.id) & (Registration.event_id == event.id),
        )
        .where(
            ParticipantCode.event_id == event.id,
            ParticipantCode.state == CodeState.ASSIGNED,
            User.school_id.in_(schools),
        )
        .order_by(User.full_name)
    )
    return [
        SchoolRow(code.id, name, grade, code.release_at,
                  code.code if code.release_at and now >= code.release_at else None, code.reserve)
        for code, name, grade in rows.all()
    ]  # fmt: skip


async def record_shown(
    session: AsyncSession, ident: Identity, event: OlympiadEvent, rows: list[SchoolRow],
    now: dt.datetime,
) -> None:  # fmt: skip
    """One audit entry for a list of shown codes: their row ids, never the codes."""
    shown = [row.code_id for row in rows if row.value is not None]
    if shown:
        await audit.record(
            session, ident, "codes_list_shown", event_scope(event), f"event:{event.id}", now,
            after={"codes": shown},
        )  # fmt: skip


async def set_release_time(
    session: AsyncSession, ident: Identity, event_id: int, text: str, now: dt.datetime
) -> str:
    """The organiser's release time for one event; fixed once codes have been given out."""
    event = await load_event(session, event_id)
    authorize(ident, Action.UPLOAD_CODES, event_scope(event), event.level)
    setting = await store.setting_of(session, event.id, now)
    if setting.codes_assigned_at is not None:
        raise Refused("codes_time_fixed")
    value = parse_hhmm(text).strftime("%H:%M")
    before = setting.release_time
    setting.release_time, setting.updated_at = value, now
    await audit.record(
        session, ident, "codes_release_time", event_scope(event), f"event:{event.id}", now,
        before={"time": before}, after={"time": value},
    )  # fmt: skip
    return value
