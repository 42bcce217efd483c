"""A world for the data calendars' conversation tests: schools in Sakhalin (the demo's), Tomsk
and Moscow, their data operators, and the moment the passport's season starts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from bot.app import App
from models.enums import Role
from models.geo import Municipality, Region, School
from models.people import User
from tests.support.app import grant

UTC = dt.UTC
# 20 September 2024, 10:00 in Tomsk: ten days before the passport's first step (30 September).
START = dt.datetime(2024, 9, 20, 3, 0, tzinfo=UTC)
HEADER = "Предмет;Класс;Дата проведения;Дата загрузки результатов\n"


@dataclass
class World:
    schools: dict[str, int]  # sakhalin / tomsk / tomsk2 / moscow
    tomsk_region: int
    tomsk_municipality: int


async def calendar_world(app: App) -> World:
    async with app.sessionmaker() as session, session.begin():
        sakhalin = (await session.scalars(select(School).where(School.code == "sosh1"))).one()
        ids = {"sakhalin": sakhalin.id}
        made: dict[str, tuple[int, int]] = {}
        for region_code, key, names in (
            ("70", "tomsk", ["Кедровская СОШ № 1", "Кедровская СОШ № 2"]),
            ("77", "moscow", ["Школа № 57"]),
        ):
            region = (
                await session.scalars(select(Region).where(Region.code == region_code))
            ).one()
            muni = Municipality(region_id=region.id, code=f"{key}-m", name=f"Город {key}")
            session.add(muni)
            await session.flush()
            made[key] = (region.id, muni.id)
            for number, name in enumerate(names, start=1):
                school = School(municipality_id=muni.id, code=f"{key}{number}", name=name)
                session.add(school)
                await session.flush()
                ids[key if number == 1 else f"{key}{number}"] = school.id
    return World(ids, *made["tomsk"])


async def make_operator(app: App, tg_id: int, school_id: int) -> None:
    async with app.sessionmaker() as session:
        school = await session.get(School, school_id)
        assert school is not None
        muni = await session.get(Municipality, school.municipality_id)
        assert muni is not None
    await grant(
        app, tg_id, Role.DATA_OPERATOR, region_id=muni.region_id, municipality_id=muni.id,
        school_id=school_id, name=f"Оператор {tg_id}",
    )  # fmt: skip


async def user_id_of(app: App, tg_id: int) -> int:
    async with app.sessionmaker() as session:
        found = await session.scalar(select(User.id).where(User.tg_id == tg_id))
    assert found is not None
    return found
