"""One event as its organiser sees it, with what the viewer may do to it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.olympiad import Registration
from services.authz import Action, allowed, authorize
from services.people.identity import Identity
from services.reference.reference_data import ReferenceData
from services.rules.lifecycle import Move, targets
from services.stage.event_edit import CLOSED, EditField, field_text
from services.stage.events import EventFacts, load_event
from services.stage.values import grade_label


@dataclass(frozen=True)
class EventCard:
    event: EventFacts
    dates: str
    grades: str
    allowed_grades: str  # what the level admits for the subject
    registered: int
    can_edit: bool
    status_targets: list[tuple[str, Move]]  # empty when the viewer may not change the status


async def event_card(
    session: AsyncSession, ident: Identity, event_id: int, ref: ReferenceData
) -> EventCard:
    event = await load_event(session, event_id)
    authorize(ident, Action.VIEW_OVERVIEW, event.scope)
    registered = await session.scalar(
        select(func.count(Registration.id)).where(Registration.event_id == event_id)
    )
    bounds = ref.grades_for(event.subject_code, event.level)
    may_status = allowed(ident, Action.CHANGE_STATUS, event.scope, event.level)
    return EventCard(
        event=event,
        dates=field_text(event, EditField.DATE),
        grades=field_text(event, EditField.GRADES),
        allowed_grades=grade_label(bounds.grade_min, bounds.grade_max),
        registered=registered or 0,
        can_edit=event.status not in CLOSED
        and allowed(ident, Action.EDIT_EVENT, event.scope, event.level),
        status_targets=[(str(s), m) for s, m in targets(event.status)] if may_status else [],
    )
