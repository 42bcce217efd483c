"""Editing one event's date, place or grades after the stage was created.

The change is audited, the people the event concerns are told what changed (old → new), and
its reminders are re-planned, all in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import EventStatus
from models.geo import Region
from models.olympiad import OlympiadEvent, Registration
from services.audit.record import record
from services.authz import Action, authorize
from services.errors import Refused
from services.notify import notify
from services.people.identity import Identity
from services.reference.reference_data import ReferenceData
from services.registration.window import day_bands
from services.stage.events import EventFacts, Notifier, load_event, tell_people
from services.stage.replan import replan_events
from services.stage.schedule import plan_dates
from services.stage.values import (
    check_grades,
    grade_label,
    parse_grade_dates,
    parse_grades,
    parse_place,
    show_date,
)

AUDIT_ACTION = "event_edit"
NOTIFICATION = "notifications/event_changed.html"
CLOSED = frozenset({EventStatus.FINISHED, EventStatus.CANCELLED})
# Before the event is held its date cannot move into the past.
NOT_YET_HELD = frozenset({EventStatus.DRAFT, EventStatus.REGISTRATION})
DEFAULT_ZONE = "Europe/Moscow"


class EditField(StrEnum):
    DATE = "date"
    PLACE = "place"
    GRADES = "grades"


@dataclass(frozen=True)
class EditOutcome:
    event: EventFacts
    field: EditField
    before: str
    after: str
    notified: int


def dates_text(
    held_on: dt.date, grade_dates: dict[str, str] | None, grade_min: int, grade_max: int
) -> str:
    """ "12.10.2026", or "7–8: 12.10.2026; 9–11: 13.10.2026" when grades sit on several days:
    every band is labelled, the first one too."""
    found = day_bands(held_on, grade_dates, grade_min, grade_max)
    if len(found) == 1:
        return show_date(found[0].held_on)
    return "; ".join(
        f"{grade_label(b.grade_min, b.grade_max)}: {show_date(b.held_on)}" for b in found
    )


def field_text(event: OlympiadEvent | EventFacts, field: EditField) -> str:
    if field == EditField.DATE:
        return dates_text(event.held_on, event.grade_dates, event.grade_min, event.grade_max)
    if field == EditField.GRADES:
        return grade_label(event.grade_min, event.grade_max)
    return event.place


async def editable_event(session: AsyncSession, ident: Identity, event_id: int) -> EventFacts:
    """The event the person is about to be asked a new value for: scope first, so an event
    that is not theirs tells nothing of its status."""
    facts = await load_event(session, event_id)
    authorize(ident, Action.EDIT_EVENT, facts.scope, facts.level)
    if facts.status in CLOSED:
        raise Refused("stage_event_closed")
    return facts


async def edit_event(
    session: AsyncSession,
    ident: Identity,
    event_id: int,
    field: EditField,
    raw: str,
    *,
    ref: ReferenceData,
    now: dt.datetime,
    notifier: Notifier = notify,
) -> EditOutcome:
    facts = await editable_event(session, ident, event_id)
    event = await session.get(OlympiadEvent, event_id)
    if event is None:
        raise Refused("unknown_event")
    before = field_text(event, field)
    # Everything is checked before the row is touched: a refusal leaves the event as it was.
    values = await _new_values(session, event, facts, field, raw=raw, ref=ref, now=now)
    if all(getattr(event, name) == value for name, value in values.items()):
        raise Refused("stage_nothing_to_change")
    for name, value in values.items():
        setattr(event, name, value)
    after = field_text(event, field)
    event.updated_at = now
    await session.flush()
    notified = await _announce(session, ident, facts, field, (before, after), now, notifier)
    await replan_events(session, [event_id], ref.rules, now)
    return EditOutcome(await load_event(session, event_id), field, before, after, notified)


async def _announce(
    session: AsyncSession,
    ident: Identity,
    facts: EventFacts,
    field: EditField,
    change: tuple[str, str],
    now: dt.datetime,
    notifier: Notifier,
) -> int:
    """Audits the change and tells the people the event concerns: old → new."""
    before, after = change
    where = f"event:{facts.id}"
    entry = await record(
        session,
        ident,
        AUDIT_ACTION,
        facts.scope,
        where,
        now,
        before={str(field): before},
        after={str(field): after},
    )
    return await tell_people(
        session,
        {facts.id: facts},
        key=f"edit:{entry.id}",
        template=NOTIFICATION,
        now=now,
        extra={"field": str(field), "before": before, "after": after},
        notifier=notifier,
    )


async def _new_values(
    session: AsyncSession,
    event: OlympiadEvent,
    facts: EventFacts,
    field: EditField,
    *,
    raw: str,
    ref: ReferenceData,
    now: dt.datetime,
) -> dict[str, Any]:
    if field == EditField.DATE:
        today = None
        if facts.status in NOT_YET_HELD:
            today = await _local_today(session, facts.region_id, now)
        return _dates(event, raw, today)
    if field == EditField.GRADES:
        return await _grades(session, event, facts, raw, ref)
    place = parse_place(raw)
    if not place:
        raise Refused("stage_place_empty")
    return {"place": place}


async def _local_today(session: AsyncSession, region_id: int, now: dt.datetime) -> dt.date:
    """Today in the organiser's region."""
    zone = await session.scalar(select(Region.timezone).where(Region.id == region_id))
    return now.astimezone(ZoneInfo(zone or DEFAULT_ZONE)).date()


def _dates(event: OlympiadEvent, raw: str, today: dt.date | None) -> dict[str, Any]:
    grades = (event.grade_min, event.grade_max)
    year = event.school_year
    if ":" in raw:
        held_on, grade_dates = plan_dates("", parse_grade_dates(raw), grades, year, today)
    else:
        held_on, grade_dates = plan_dates(raw.strip(), {}, grades, year, today)
    return {"held_on": held_on, "grade_dates": grade_dates}


async def _grades(
    session: AsyncSession, event: OlympiadEvent, facts: EventFacts, raw: str, ref: ReferenceData
) -> dict[str, Any]:
    low, high = parse_grades(raw)
    allowed = ref.grades_for(facts.subject_code, facts.level)
    check_grades((low, high), (allowed.grade_min, allowed.grade_max))
    outside = await session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event.id,
            or_(Registration.grade < low, Registration.grade > high),
        )
    )
    if outside:
        raise Refused("stage_grades_exclude_registered", count=outside)
    kept = {g: d for g, d in (event.grade_dates or {}).items() if low <= int(g) <= high}
    return {"grade_min": low, "grade_max": high, "grade_dates": kept or None}
