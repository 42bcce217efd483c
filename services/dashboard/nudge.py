"""Nudging the lagging schools of an event from the panel: the same finding and the same nudge
the control point's report sends (reminders.checks, reminders.nudges), asked for by hand.

The nudge is tied to the event's control point (registration while registration is open, the
results after that), so a curator gets one nudge per control point, whether the coordinator
asked for it or the control point found the school lagging.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from calendars.steps import steps_for_date
from models.enums import EventStatus
from models.geo import Region
from models.olympiad import OlympiadEvent
from models.outbox import Outbox, OutboxKind
from reminders.checks import REGISTRATION_CONTROL, RESULTS_CONTROL, evaluate
from reminders.nudges import enqueue_nudges
from reminders.plan import REPORT_GRACE
from services.audit.record import record
from services.authz import Action, authorize
from services.errors import Refused
from services.people.identity import Identity
from services.results.access import event_scope, load_event
from services.scopes import Scope

AUDIT_ACTION = "schools_nudged"
CHECKS = {
    EventStatus.DRAFT: REGISTRATION_CONTROL,
    EventStatus.REGISTRATION: REGISTRATION_CONTROL,
    EventStatus.CONDUCTING: RESULTS_CONTROL,
    EventStatus.SUMMARIZING: RESULTS_CONTROL,
}


@dataclass(frozen=True)
class Lagging:
    event_id: int
    step: str
    step_at: dt.datetime
    scope: Scope
    school_ids: list[int]
    names: list[str]


async def lagging_schools(
    session: AsyncSession, ident: Identity, event_id: int, *, rules: Calendar
) -> tuple[Lagging, Outbox]:
    """The schools the event's current control point finds lagging (after authorising)."""
    event = await load_event(session, event_id)
    authorize(ident, Action.VIEW_OVERVIEW, event_scope(event), event.level)
    step = CHECKS.get(event.status)
    if step is None:
        raise Refused("nudge_nothing_due")
    report, step_at = await _report(session, event, step, rules)
    finding = await evaluate(session, report, event, "ru")
    schools = finding.lagging_schools if finding else []
    names = finding.names if finding else []
    return Lagging(event.id, step, step_at, event_scope(event), schools, names), report


async def nudge_lagging(
    session: AsyncSession, ident: Identity, event_id: int, *, rules: Calendar, now: dt.datetime
) -> int:
    """Queues the nudges to the lagging schools' curators; returns how many were offered."""
    lagging, report = await lagging_schools(session, ident, event_id, rules=rules)
    if not lagging.school_ids:
        raise Refused("nudge_nobody_lagging")
    report.expires_at = max(lagging.step_at, now) + REPORT_GRACE
    queued = await enqueue_nudges(session, report, lagging.school_ids, now)
    await record(
        session,
        ident,
        AUDIT_ACTION,
        lagging.scope,
        f"event:{event_id}",
        now,
        after={"schools": len(lagging.school_ids), "queued": queued},
    )
    return queued


async def _report(
    session: AsyncSession, event: OlympiadEvent, step: str, rules: Calendar
) -> tuple[Outbox, dt.datetime]:
    """An unsaved report row for the control point: what `evaluate` and the nudges read."""
    zone = await session.scalar(select(Region.timezone).where(Region.id == event.region_id))
    steps = steps_for_date(event.level, event.held_on, rules, zone or "Europe/Moscow")
    found = next((s for s in steps if s.code == step), None)
    if found is None:
        raise Refused("nudge_nothing_due")
    report = Outbox(
        kind=OutboxKind.CHECK,
        event_id=event.id,
        step=step,
        step_at=found.due_at,
        step_zone=found.zone,
        expires_at=found.due_at + REPORT_GRACE,
    )
    return report, found.due_at
