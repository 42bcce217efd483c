"""The panel's calendar sections in tests: collections in given states, two municipalities,
and the section read over HTTP (no tests here)."""

from __future__ import annotations

import datetime as dt

import aiohttp
from sqlalchemy import func, select

from bot.app import App
from models.collections import Collection, CollectionOrg, OrgState
from models.geo import School
from tests.support.stage_chat import demo_scope, other_municipality
from webapp.auth import HEADER


async def get_calendar(base: str, data: str, query: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{base}/app/api/calendar?{query}", headers={HEADER: data}) as response,
    ):
        return response.status, await response.text()


async def two_municipalities(app: App) -> tuple[list[int], int]:
    """The demo municipality's schools, and a school of a second municipality."""
    _region, muni = await demo_scope(app)
    other = await other_municipality(app)
    async with app.sessionmaker() as session, session.begin():
        school = School(municipality_id=other, code="k1", name="Корсаковская школа № 1")
        session.add(school)
        await session.flush()
        ours = list(
            await session.scalars(
                select(School.id).where(School.municipality_id == muni).order_by(School.id)
            )
        )
        return ours, school.id


async def collection(
    app: App, title: str, municipality_id: int, states: dict[int, OrgState]
) -> int:
    """A collection of one municipality, its organisations in the given states."""
    region_id, _muni = await demo_scope(app)
    now = app.clock.now()
    async with app.sessionmaker() as session, session.begin():
        found = Collection(
            title=title, region_id=region_id, municipality_id=municipality_id,
            opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=6),
            created_at=now,
        )  # fmt: skip
        session.add(found)
        await session.flush()
        for school_id, state in states.items():
            session.add(
                CollectionOrg(
                    collection_id=found.id, school_id=school_id, state=state,
                    started_at=now if state != OrgState.NOT_STARTED else None,
                    submitted_at=now if state == OrgState.SUBMITTED else None,
                )
            )  # fmt: skip
        return found.id


async def db_states(app: App, collection_id: int) -> dict[str, int]:
    async with app.sessionmaker() as session:
        rows = await session.execute(
            select(CollectionOrg.state, func.count(CollectionOrg.id))
            .where(CollectionOrg.collection_id == collection_id)
            .group_by(CollectionOrg.state)
        )
        return {str(state): int(n) for state, n in rows}
