"""Fixtures of the stage conversations: the stage routers and a coordinator (no tests here)."""

from __future__ import annotations

import pytest
from aiogram import Router
from sqlalchemy import select

from bot.app import App
from models.enums import EventStatus, Level, Role
from models.geo import Municipality, Region
from models.olympiad import OlympiadEvent, Subject
from tests.support.app import grant

COORDINATOR = 700  # the municipal coordinator of the demo municipality
REGIONAL = 710


@pytest.fixture
def extra_routers(monkeypatch: pytest.MonkeyPatch) -> list[Router]:
    """The stage routers, before the fallback, unless handlers/__init__.py wires them already."""
    import bot.app
    from handlers import event_edit, fresh_copy, overview, stage, status

    wired = bot.app.get_routers
    ours = (stage.router, status.router, event_edit.router, overview.router)

    def routers() -> list[Router]:
        found = wired()
        names = {r.name for r in found}
        mine = [fresh_copy(r) for r in ours if r.name not in names]
        return [*found[:-1], *mine, found[-1]]

    monkeypatch.setattr(bot.app, "get_routers", routers)
    return []


async def demo_scope(app: App) -> tuple[int, int]:
    """The demo region's and municipality's ids."""
    async with app.sessionmaker() as session:
        region = (await session.scalars(select(Region).where(Region.code == "65"))).one()
        muni = (await session.scalars(select(Municipality).where(Municipality.code == "ys"))).one()
        return region.id, muni.id


async def other_municipality(app: App) -> int:
    """A second municipality of the demo region, with one school."""
    region_id, _muni_id = await demo_scope(app)
    async with app.sessionmaker() as session, session.begin():
        other = Municipality(region_id=region_id, code="kor", name="Корсаковский городской округ")
        session.add(other)
        await session.flush()
        return other.id


async def coordinator(app: App, tg_id: int = COORDINATOR) -> None:
    region_id, muni_id = await demo_scope(app)
    await grant(app, tg_id, Role.MUNICIPAL, region_id=region_id, municipality_id=muni_id)


async def regional(app: App, tg_id: int = REGIONAL) -> None:
    region_id, _muni_id = await demo_scope(app)
    await grant(app, tg_id, Role.REGIONAL, region_id=region_id)


async def event_statuses(app: App, level: Level = Level.SCHOOL) -> dict[str, EventStatus]:
    """Status of each event of the level, by subject code."""
    async with app.sessionmaker() as session:
        rows = await session.execute(
            select(Subject.code, OlympiadEvent.status)
            .join(Subject, Subject.id == OlympiadEvent.subject_id)
            .where(OlympiadEvent.level == level)
        )
        return {code: EventStatus(status) for code, status in rows}


async def event_id(app: App, subject: str, level: Level = Level.SCHOOL) -> int:
    async with app.sessionmaker() as session:
        found = await session.scalar(
            select(OlympiadEvent.id)
            .join(Subject, Subject.id == OlympiadEvent.subject_id)
            .where(Subject.code == subject, OlympiadEvent.level == level)
        )
    assert found is not None
    return found
