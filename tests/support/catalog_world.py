"""The catalog world: two regions, schools, students and events on a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import build_i18n
from models.enums import EventStatus, Level, PersonKind
from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Subject, scope_key_for
from models.people import User
from services.catalog.listing import CatalogFilter, catalog_page
from tests.support.reference import reference

NOW = dt.datetime(2026, 10, 5, 23, 0, tzinfo=dt.UTC)  # 10:00 on 6 October in Sakhalin
TODAY = dt.date(2026, 10, 6)
RULES = reference().rules


@dataclass
class World:
    """Sakhalin: two towns (ys, kholmsk); Novosibirsk: one. Events of 2026/27 mostly in ys."""

    session: AsyncSession
    regions: dict[str, Region] = field(default_factory=dict)
    towns: dict[str, Municipality] = field(default_factory=dict)
    schools: dict[str, School] = field(default_factory=dict)
    subjects: dict[str, Subject] = field(default_factory=dict)
    events: dict[str, OlympiadEvent] = field(default_factory=dict)

    async def event(
        self,
        name: str,
        subject: str,
        level: Level,
        town: str | None,
        held_on: dt.date,
        region: str = "65",
        **values: object,
    ) -> OlympiadEvent:
        municipality_id = self.towns[town].id if town else None
        region_id = self.regions[region].id
        event = OlympiadEvent(
            subject_id=self.subjects[subject].id,
            level=level,
            region_id=region_id,
            municipality_id=municipality_id,
            scope_key=scope_key_for(region_id, municipality_id),
            school_year=values.pop("school_year", 2026),
            held_on=held_on,
            grade_min=values.pop("grade_min", 5),
            grade_max=values.pop("grade_max", 11),
            place=values.pop("place", "в своей школе"),
            created_at=NOW,
            updated_at=NOW,
            **values,
        )
        self.session.add(event)
        await self.session.flush()
        self.events[name] = event
        return event

    async def person(
        self,
        name: str,
        school: str | None = "s1",
        grade: int | None = 7,
        kind: PersonKind = PersonKind.STUDENT,
        tg_id: int | None = None,
    ) -> User:
        user = User(
            full_name=name,
            kind=kind,
            grade=grade,
            tg_id=tg_id,
            created_at=NOW,
            school_id=self.schools[school].id if school else None,
        )
        self.session.add(user)
        await self.session.flush()
        return user


async def build_world(session: AsyncSession) -> World:
    world = World(session)
    for code, zone in (("65", "Asia/Sakhalin"), ("54", "Asia/Novosibirsk")):
        world.regions[code] = Region(code=code, name_ru=code, name_en=code, timezone=zone)
    session.add_all(world.regions.values())
    await session.flush()
    for code, region in (("ys", "65"), ("kholmsk", "65"), ("nsk", "54")):
        world.towns[code] = Municipality(region_id=world.regions[region].id, code=code, name=code)
    session.add_all(world.towns.values())
    await session.flush()
    for code, town in (("s1", "ys"), ("s2", "ys"), ("s3", "kholmsk"), ("s4", "nsk")):
        world.schools[code] = School(municipality_id=world.towns[town].id, code=code, name=code)
    session.add_all(world.schools.values())
    for order, (code, ru, en) in enumerate(
        (
            ("math", "Математика", "Mathematics"),
            ("russian", "Русский язык", "Russian"),
            ("physics", "Физика", "Physics"),
            ("history", "История", "History"),
        )
    ):
        world.subjects[code] = Subject(code=code, name_ru=ru, name_en=en, sort_order=order)
    session.add_all(world.subjects.values())
    await session.flush()
    await world.event(
        "math", "math", Level.SCHOOL, "ys", dt.date(2026, 10, 17), grade_min=4, max_score=35
    )
    await world.event("russian", "russian", Level.SCHOOL, "ys", dt.date(2026, 10, 12))
    await world.event(
        "draft", "physics", Level.SCHOOL, "ys", dt.date(2026, 10, 20), status=EventStatus.DRAFT
    )
    await world.event(
        "history", "history", Level.SCHOOL, "ys", dt.date(2026, 9, 25), status=EventStatus.FINISHED
    )
    await world.event("math_m", "math", Level.MUNICIPAL, "ys", dt.date(2026, 11, 19), grade_min=7)
    await world.event("math_kholmsk", "math", Level.SCHOOL, "kholmsk", dt.date(2026, 10, 17))
    await world.event(
        "physics_r", "physics", Level.REGIONAL, None, dt.date(2027, 1, 20), grade_min=9
    )
    await world.event(
        "math_nsk", "math", Level.REGIONAL, None, dt.date(2027, 1, 20), region="54", grade_min=9
    )
    await world.event(
        "math_last_year", "math", Level.SCHOOL, "ys", dt.date(2025, 10, 17), school_year=2025
    )
    return world


@pytest.fixture
def i18n() -> Iterator[I18n]:
    """Notifications render in each recipient's language, which needs the gettext context."""
    found = build_i18n("ru")
    with found.context():
        yield found


@pytest.fixture
async def world(session: AsyncSession, i18n: I18n) -> World:
    return await build_world(session)


async def titles(world: World, who: User, flt: CatalogFilter | None = None) -> list[str]:
    page = await catalog_page(world.session, who, flt or CatalogFilter(), 0, TODAY, "en", 50)
    names = {event.id: name for name, event in world.events.items()}
    return [names[item.event_id] for item in page.items]
