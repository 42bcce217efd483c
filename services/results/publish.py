"""The organiser closes the results: placements by the rule, then publication with notices.

Publication tells each participant, and each of their parents, only their own result (a
parent with two children in the event gets one message about those two).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import EventStatus, Placement, RegistrationState
from models.olympiad import OlympiadEvent, Registration
from models.people import User
from services.audit import record as audit
from services.errors import Refused
from services.notify import notify, parents_of
from services.people.identity import Identity
from services.results.access import authorize_organiser, event_scope, load_event, organiser_event
from services.rules.scores import Scored, assign_placements, passing_for

_PUBLISHABLE = (EventStatus.SUMMARIZING, EventStatus.FINISHED)


@dataclass(frozen=True)
class Published:
    participants: int
    absent: int
    messages: int


async def _registrations(session: AsyncSession, event_id: int) -> list[tuple[Registration, str]]:
    rows = await session.execute(
        select(Registration, User.full_name)
        .join(User, Registration.student_id == User.id)
        .where(Registration.event_id == event_id)
        .order_by(Registration.id)
    )
    return [(reg, name) for reg, name in rows.all()]


async def auto_placements(
    session: AsyncSession, ident: Identity, event_id: int, now: datetime
) -> Counter[Placement]:
    """Placements by the rule of `rules.scores.assign_placements`; replaces manual marks."""
    event = await organiser_event(session, ident, event_id)
    if event.max_score is None:
        raise Refused("res_max_score_not_set")
    scored = [r for r, _ in await _registrations(session, event.id) if r.score is not None]
    if not scored:
        raise Refused("res_no_scores")
    placements = assign_placements(
        (Scored(r.id, r.grade, r.score) for r in scored if r.score is not None),
        event.max_score,
        lambda grade: passing_for(event.passing_score, event.passing_scores, grade),
    )
    for registration in scored:
        registration.placement = placements[registration.id]
    totals = Counter(placements.values())
    await audit.record(
        session,
        ident,
        "placements_computed",
        event_scope(event),
        f"event:{event.id}",
        now,
        after={str(p): n for p, n in totals.items()},
    )
    return totals


async def publish(
    session: AsyncSession, ident: Identity, event_id: int, now: datetime
) -> Published:
    event = await load_event(session, event_id)
    authorize_organiser(ident, event)  # before anything about the event is told
    if event.results_published_at is not None:
        raise Refused("res_results_published")
    if event.status not in _PUBLISHABLE:
        raise Refused("res_results_not_open")
    if event.max_score is None:
        raise Refused("res_max_score_not_set")
    rows = await _registrations(session, event.id)
    scored = [(r, name) for r, name in rows if r.score is not None]
    if not scored:
        raise Refused("res_no_scores")
    for registration, _ in rows:
        if registration.score is None:
            registration.state = RegistrationState.ABSENT
        elif registration.placement is None:
            registration.placement = Placement.PARTICIPANT
    event.results_published_at = now
    messages = await _tell_participants(session, event, scored, now)
    result = Published(len(scored), len(rows) - len(scored), messages)
    await audit.record(
        session,
        ident,
        "res_results_published",
        event_scope(event),
        f"event:{event.id}",
        now,
        after={"participants": result.participants, "absent": result.absent},
    )
    return result


def _result_of(event: OlympiadEvent, registration: Registration, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "grade": registration.grade,
        "score": registration.score,
        "placement": registration.placement,
        "passing": passing_for(event.passing_score, event.passing_scores, registration.grade),
    }


async def _tell_participants(
    session: AsyncSession,
    event: OlympiadEvent,
    scored: list[tuple[Registration, str]],
    now: datetime,
) -> int:
    own = {r.student_id: _result_of(event, r, name) for r, name in scored}
    children: dict[int, list[dict[str, Any]]] = {}
    for student_id, parents in (await parents_of(session, own)).items():
        for parent_id in parents:
            children.setdefault(parent_id, []).append(own[student_id])

    def common(user: User) -> dict[str, Any]:
        subject = event.subject.name_en if user.locale == "en" else event.subject.name_ru
        return {"subject": subject, "level": event.level, "max_score": event.max_score}

    key = f"results:{event.id}"
    sent = await notify(
        session,
        own,
        key,
        "notifications/result_student.html",
        now,
        context=lambda user: {**common(user), "result": own[user.id]},
    )
    sent += await notify(
        session,
        children,
        f"{key}:p",
        "notifications/result_parent.html",
        now,
        context=lambda user: {**common(user), "children": children[user.id]},
    )
    return sent
