"""The organiser's part of the results: the maximum, the passing score and placements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Placement
from models.olympiad import Registration
from services.audit import record as audit
from services.errors import Refused
from services.people.identity import Identity
from services.results.access import authorize_organiser, ensure_open, event_scope, organiser_event
from services.results.entry import registration_of
from services.rules.scores import PassingScores, format_score, parse_max_score, parse_passing
from services.scopes import Scope


async def set_placement(
    session: AsyncSession, ident: Identity, reg_id: int, placement: Placement, now: datetime
) -> None:
    registration, event, school_id = await registration_of(session, reg_id)
    authorize_organiser(ident, event)
    ensure_open(event)
    if registration.score is None:
        raise Refused("res_no_score_yet")
    before = registration.placement
    registration.placement = placement
    scope = Scope(event.region_id, event.municipality_id, school_id)
    await audit.record(
        session,
        ident,
        "placement_set",
        scope,
        f"registration:{reg_id}",
        now,
        before={"placement": before},
        after={"placement": placement},
    )


async def set_max_score(
    session: AsyncSession, ident: Identity, event_id: int, text: str, now: datetime
) -> float:
    event = await organiser_event(session, ident, event_id)
    value = parse_max_score(text)
    highest = await session.scalar(
        select(func.max(Registration.score)).where(Registration.event_id == event.id)
    )
    if highest is not None and highest > value:
        raise Refused(
            "res_max_below_scores", value=format_score(value), highest=format_score(highest)
        )
    before = event.max_score
    event.max_score = value
    event.updated_at = now
    await audit.record(
        session,
        ident,
        "max_score_set",
        event_scope(event),
        f"event:{event.id}",
        now,
        before={"max_score": before},
        after={"max_score": value},
    )
    return value


async def set_passing(
    session: AsyncSession, ident: Identity, event_id: int, text: str, now: datetime
) -> PassingScores:
    event = await organiser_event(session, ident, event_id)
    scores = parse_passing(text, event.max_score)
    before = {"default": event.passing_score, "per_grade": event.passing_scores}
    event.passing_score = scores.default
    event.passing_scores = scores.as_json()
    event.updated_at = now
    await audit.record(
        session,
        ident,
        "passing_score_set",
        event_scope(event),
        f"event:{event.id}",
        now,
        before=before,
        after={"default": scores.default, "per_grade": scores.as_json()},
    )
    return scores
