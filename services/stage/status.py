"""Changing the status of one event, of a whole stage, or of chosen subjects of a stage.

A change is previewed first (what moves from which status, what cannot and why), then applied
as one unit: statuses, audit entries, notifications and reminder re-planning commit together or
not at all. Each affected person gets one message however many events changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.audit import AuditEntry
from models.enums import EventStatus
from models.olympiad import OlympiadEvent
from services.audit.record import record
from services.authz import Action, authorize
from services.errors import Refused
from services.notify import notify
from services.people.identity import Identity
from services.rules.lifecycle import EXCEPTIONAL, Plan, plan
from services.stage.events import EventFacts, Notifier, load_event, load_events, tell_people
from services.stage.replan import replan_events
from services.stage.scope import Target

AUDIT_ACTION = "status_change"
NOTIFICATION = "notifications/event_status.html"
MAX_REASON = 500


@dataclass(frozen=True)
class Selection:
    """One event, or the current school year's events of a stage (optionally some subjects)."""

    event_id: int | None = None
    stage: Target | None = None
    subject_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True)
class StatusPreview:
    plan: Plan
    events: dict[int, EventFacts]


@dataclass(frozen=True)
class Applied:
    changed: int
    notified: int


async def selected_events(
    session: AsyncSession, ident: Identity, selection: Selection, now: dt.datetime
) -> list[EventFacts]:
    if selection.event_id is not None:
        event = await load_event(session, selection.event_id)
        authorize(ident, Action.CHANGE_STATUS, event.scope, event.level)
        return [event]
    stage = selection.stage
    if stage is None:
        raise Refused("stale_choice")
    authorize(ident, Action.CHANGE_STATUS, stage.scope, stage.level)
    where: list[ColumnElement[bool]] = [
        OlympiadEvent.level == stage.level,
        OlympiadEvent.scope_key == stage.scope_key,
        OlympiadEvent.school_year == stage.school_year(now),
    ]
    if selection.subject_ids:
        where.append(OlympiadEvent.subject_id.in_(selection.subject_ids))
    return await load_events(session, *where)


async def preview_change(
    session: AsyncSession,
    ident: Identity,
    selection: Selection,
    target: EventStatus,
    now: dt.datetime,
) -> StatusPreview:
    events = await selected_events(session, ident, selection, now)
    if not events:
        raise Refused("stage_no_events")
    found = plan(((e.id, e.status) for e in events), target)
    return StatusPreview(plan=found, events={e.id: e for e in events})


async def apply_change(
    session: AsyncSession,
    ident: Identity,
    selection: Selection,
    target: EventStatus,
    *,
    fingerprint: str,
    reason: str | None,
    rules: Calendar,
    now: dt.datetime,
    notifier: Notifier = notify,
) -> Applied:
    """Applies exactly the previewed change, or refuses and changes nothing."""
    preview = await preview_change(session, ident, selection, target, now)
    found = preview.plan
    if found.fingerprint() != fingerprint:
        raise Refused("status_stale")
    if not found.changes:
        raise Refused("stage_nothing_to_change")
    reason = (reason or "").strip()[:MAX_REASON] or None
    if found.needs_reason and reason is None:
        raise Refused("status_reason_required")
    async with session.begin_nested():
        entries = await _write(session, ident, preview, reason, now)
        changed = {c.event_id: preview.events[c.event_id] for c in found.changes}
        notified = await tell_people(
            session,
            changed,
            key=f"status:{entries[0].id}",
            template=NOTIFICATION,
            now=now,
            extra={"target": str(target), "reason": reason},
            notifier=notifier,
        )
        await replan_events(session, changed, rules, now)
    return Applied(changed=len(found.changes), notified=notified)


async def _write(
    session: AsyncSession,
    ident: Identity,
    preview: StatusPreview,
    reason: str | None,
    now: dt.datetime,
) -> list[AuditEntry]:
    entries = []
    for change in preview.plan.changes:
        result = cast(
            CursorResult[Any],
            await session.execute(
                update(OlympiadEvent)
                .where(OlympiadEvent.id == change.event_id, OlympiadEvent.status == change.current)
                .values(status=change.target, updated_at=now)
            ),
        )
        if result.rowcount != 1:
            raise Refused("status_stale")  # changed by someone else since the preview
        event = preview.events[change.event_id]
        entries.append(
            await record(
                session,
                ident,
                AUDIT_ACTION,
                event.scope,
                f"event:{event.id}",
                now,
                before={"status": str(change.current)},
                after={"status": str(change.target), "move": str(change.move)},
                reason=reason,
                exceptional=change.move in EXCEPTIONAL,
            )
        )
    return entries
