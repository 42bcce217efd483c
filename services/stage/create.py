"""Writing a confirmed stage schedule: all its events in one transaction, audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import EventStatus
from models.olympiad import OlympiadEvent
from services.audit.record import record
from services.authz import Action, authorize
from services.errors import Refused
from services.people.identity import Identity
from services.stage.replan import replan_events
from services.stage.schedule import PlannedEvent
from services.stage.scope import Target

AUDIT_ACTION = "stage_create"


async def create_stage(
    session: AsyncSession,
    ident: Identity,
    target: Target,
    planned: list[PlannedEvent],
    *,
    school_year: int,
    draft: bool,
    rules: Calendar,
    now: dt.datetime,
) -> list[int]:
    """Creates every planned event or none; returns their ids in the order of the file."""
    authorize(ident, Action.CREATE_STAGE, target.scope, target.level)
    if school_year != target.school_year(now):
        raise Refused("stage_stale_preview")
    if not planned:
        raise Refused("stage_nothing_to_create")
    status = EventStatus.DRAFT if draft else EventStatus.REGISTRATION
    events = [
        _event(item, target, school_year=school_year, status=status, ident=ident, now=now)
        for item in planned
    ]
    ids = await _insert(session, events)
    subjects = [item.subject_code for item in planned]
    after = {"status": str(status), "events": len(ids), "event_ids": ids, "subjects": subjects}
    where = f"{target.level}:{target.scope_key}:{school_year}"
    await record(session, ident, AUDIT_ACTION, target.scope, where, now, after=after)
    await replan_events(session, ids, rules, now)
    return ids


async def _insert(session: AsyncSession, events: list[OlympiadEvent]) -> list[int]:
    try:
        async with session.begin_nested():
            session.add_all(events)
            await session.flush()
    except IntegrityError:
        # Someone created one of these events after the preview was shown.
        raise Refused("stage_changed") from None
    return [event.id for event in events]


def _event(
    item: PlannedEvent,
    target: Target,
    *,
    school_year: int,
    status: EventStatus,
    ident: Identity,
    now: dt.datetime,
) -> OlympiadEvent:
    return OlympiadEvent(
        subject_id=item.subject_id,
        level=target.level,
        region_id=target.region_id,
        municipality_id=target.municipality_id,
        scope_key=target.scope_key,
        school_year=school_year,
        held_on=item.held_on,
        grade_dates=item.grade_dates,
        grade_min=item.grade_min,
        grade_max=item.grade_max,
        place=item.place,
        status=status,
        max_score=item.max_score,
        passing_score=item.passing_score,
        created_by_id=ident.user.id,
        created_at=now,
        updated_at=now,
    )
