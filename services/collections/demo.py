"""The data calendars of the demo deployment: one collection open (two organisations under way)
and card-completeness figures in every band. Loaded once: a restart keeps what was done."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.collections import CardCompleteness, Collection, CollectionOrg, OrgState
from models.geo import School
from services.collections.access import coordinator_scope, schools_in
from services.collections.nudges import withdraw_nudges
from services.collections.opening import Draft, open_collection
from services.collections.times import MOSCOW
from services.completeness.store import save
from services.people.identity import Identity

TITLE = "Сбор расписания проведения ВПР (демо)"
FIGURES = (950, 875, 720)  # high, medium, low; the fourth school has not reported
STATES = (OrgState.SUBMITTED, OrgState.IN_PROGRESS)


async def load_demo_calendars(
    session: AsyncSession, coordinator: Identity, now: dt.datetime, default_zone: str
) -> None:
    scope = await coordinator_scope(session, coordinator)
    if await session.scalar(select(Collection.id).where(Collection.region_id == scope.region_id)):
        return
    close_day = now.astimezone(MOSCOW).date() + dt.timedelta(days=4)
    closes = dt.datetime.combine(close_day, dt.time(18, 0), tzinfo=MOSCOW).astimezone(dt.UTC)
    draft = Draft(TITLE, now - dt.timedelta(days=1), closes)
    collection = await open_collection(session, coordinator, draft, now, default_zone)
    school_ids = await schools_in(session, scope)
    ordered = list(
        await session.scalars(
            select(School.id).where(School.id.in_(school_ids)).order_by(School.code)
        )
    )
    for school_id, state in zip(ordered, STATES, strict=False):
        org = await session.scalar(
            select(CollectionOrg).where(
                CollectionOrg.collection_id == collection.id, CollectionOrg.school_id == school_id
            )
        )
        assert org is not None  # just opened for every school of the scope
        org.state, org.started_at, org.updated_at = state, now - dt.timedelta(hours=20), now
        if state == OrgState.SUBMITTED:
            org.submitted_at = now - dt.timedelta(hours=2)
        await withdraw_nudges(session, collection.id, school_id)
    known = set(await session.scalars(select(CardCompleteness.school_id)))
    figures = {s: f for s, f in zip(ordered, FIGURES, strict=False) if s not in known}
    if figures:
        await save(session, figures, "table", coordinator, now)
