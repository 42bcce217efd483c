"""The organiser's side: the appeals of their events, the outcome of each, the window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models.olympiad import OlympiadEvent, Registration
from models.olympiad_day import Appeal, AppealState
from models.people import User
from services.appeals.window import event_zone
from services.audit import record as audit
from services.authz import Action, allowed, authorize
from services.codes.store import setting_of
from services.errors import Refused
from services.notify import notify, parents_of
from services.people.identity import Identity
from services.results.access import event_scope, load_event
from services.rules.olympiad_day import parse_window
from services.rules.scores import format_score, parse_score


@dataclass(frozen=True)
class AppealEvent:
    event: OlympiadEvent
    filed: int  # waiting for an answer
    total: int


@dataclass(frozen=True)
class AppealRow:
    appeal: Appeal
    name: str
    grade: int
    max_score: float | None


def _organises(ident: Identity, event: OlympiadEvent) -> bool:
    return allowed(ident, Action.ANSWER_APPEALS, event_scope(event), event.level)


async def organiser_event(session: AsyncSession, ident: Identity, event_id: int) -> OlympiadEvent:
    event = await load_event(session, event_id)
    authorize(ident, Action.ANSWER_APPEALS, event_scope(event), event.level)
    return event


async def appeal_events(session: AsyncSession, ident: Identity) -> list[AppealEvent]:
    """Published events the person organises, with how many appeals wait for an answer."""
    waiting = func.sum(case((Appeal.state == AppealState.FILED, 1), else_=0))
    counts = (
        select(Appeal.event_id, waiting.label("filed"), func.count(Appeal.id).label("total"))
        .group_by(Appeal.event_id)
        .subquery()
    )
    rows = await session.execute(
        select(OlympiadEvent, counts.c.filed, counts.c.total)
        .options(joinedload(OlympiadEvent.subject))
        .outerjoin(counts, counts.c.event_id == OlympiadEvent.id)
        .where(OlympiadEvent.results_published_at.is_not(None))
        .order_by(OlympiadEvent.held_on.desc(), OlympiadEvent.id)
    )
    return [
        AppealEvent(event, int(filed or 0), int(total or 0))
        for event, filed, total in rows.unique().all()
        if _organises(ident, event)
    ]


async def event_appeals(session: AsyncSession, ident: Identity, event_id: int) -> list[AppealRow]:
    event = await organiser_event(session, ident, event_id)
    rows = await session.execute(
        select(Appeal, User.full_name, Registration.grade)
        .join(User, Appeal.student_id == User.id)
        .join(Registration, Appeal.registration_id == Registration.id)
        .where(Appeal.event_id == event.id)
        .order_by(Appeal.state != AppealState.FILED, Appeal.id)
    )
    return [AppealRow(a, name, grade, event.max_score) for a, name, grade in rows.all()]


async def one_appeal(session: AsyncSession, ident: Identity, appeal_id: int) -> AppealRow:
    appeal = await session.get(Appeal, appeal_id)
    if appeal is None:
        raise Refused("ap_not_yours")
    event = await organiser_event(session, ident, appeal.event_id)
    for row in await event_appeals(session, ident, event.id):
        if row.appeal.id == appeal_id:
            return row
    raise Refused("ap_not_yours")


async def answer(
    session: AsyncSession, ident: Identity, appeal_id: int, new_score: str | None,
    now: dt.datetime,
) -> Appeal:  # fmt: skip
    """Records the outcome: the score stays (`new_score` None) or becomes `new_score` (checked
    against the event's maximum). The participant and their parents are told."""
    row = await one_appeal(session, ident, appeal_id)
    appeal = row.appeal
    if appeal.state != AppealState.FILED:
        raise Refused("ap_answered")
    registration = await session.get(Registration, appeal.registration_id)
    event = await organiser_event(session, ident, appeal.event_id)
    assert registration is not None
    before = registration.score
    if new_score is not None:
        value = parse_score(new_score, event.max_score)
        registration.score = value
    appeal.new_score = registration.score
    changed = new_score is not None and registration.score != before
    appeal.state = AppealState.CHANGED if changed else AppealState.UNCHANGED
    appeal.answered_by_id, appeal.answered_at = ident.user.id, now
    await session.flush()
    await audit.record(
        session, ident, "appeal_answered", event_scope(event), f"event:{event.id}", now,
        before={"score": format_score(before)}, after={"score": format_score(registration.score)},
    )  # fmt: skip
    await _tell(session, event, appeal, row.name, now)
    return appeal


async def _tell(
    session: AsyncSession, event: OlympiadEvent, appeal: Appeal, name: str, now: dt.datetime
) -> None:
    def values(user: User) -> dict[str, object]:
        subject = event.subject.name_en if user.locale == "en" else event.subject.name_ru
        return {"subject": subject, "level": event.level, "appeal": appeal, "name": name,
                "max_score": event.max_score}  # fmt: skip

    key = f"appeal:{appeal.id}:{appeal.state}"
    await notify(session, [appeal.student_id], key, "notifications/appeal_answered.html", now,
                 context=lambda user: {**values(user), "own": True})  # fmt: skip
    parents = (await parents_of(session, [appeal.student_id])).get(appeal.student_id, [])
    await notify(session, parents, f"{key}:p", "notifications/appeal_answered.html", now,
                 context=lambda user: {**values(user), "own": False})  # fmt: skip


async def set_window(
    session: AsyncSession, ident: Identity, event_id: int, text: str, zone: str,
    now: dt.datetime,
) -> None:  # fmt: skip
    """«48 ч» / «3 д» from publication, or «05.12.2026 18:00» on the organiser's (`zone`) clock."""
    event = await organiser_event(session, ident, event_id)
    override = parse_window(text, zone or await event_zone(session, event), now)
    setting = await setting_of(session, event.id, now)
    before = {"until": setting.appeal_until.isoformat() if setting.appeal_until else None,
              "hours": setting.appeal_hours}  # fmt: skip
    setting.appeal_until, setting.appeal_hours = override.until, override.hours
    setting.updated_at = now
    await audit.record(
        session, ident, "appeal_window_set", event_scope(event), f"event:{event.id}", now,
        before=before,
        after={"until": override.until.isoformat() if override.until else None,
               "hours": override.hours},
    )  # fmt: skip
