"""A region for the data-calendar tests: the demo's four schools, read in three zones, a
regional coordinator and the schools' responsible people."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.app import App
from models.enums import Role
from models.geo import Municipality, School
from tests.support.chat import ChatDriver

COORDINATOR = 700
# School code → (the responsible person's Telegram id, the school's zone or None for the region's).
SCHOOLS = {
    "sosh1": (701, None),  # Yuzhno-Sakhalinsk, Moscow + 8
    "sosh8": (704, None),
    "gym1": (702, "Asia/Tomsk"),  # Moscow + 4
    "lyc1": (703, "Europe/Moscow"),
}


@dataclass(frozen=True)
class World:
    region_id: int
    municipality_id: int
    school_ids: dict[str, int]


async def three_zone_region(app: App, grant_role) -> World:  # type: ignore[no-untyped-def]
    """Puts two demo schools in other zones and gives out the roles."""
    async with app.sessionmaker() as session, session.begin():
        municipality = await session.scalar(select(Municipality))
        assert municipality is not None
        schools = {s.code: s for s in await session.scalars(select(School))}
        for code, (_tg, zone) in SCHOOLS.items():
            schools[code].timezone = zone
        ids = {code: school.id for code, school in schools.items()}
        region_id, municipality_id = municipality.region_id, municipality.id
    await grant_role(COORDINATOR, Role.REGIONAL, region_id=region_id)
    for code, (tg_id, _zone) in SCHOOLS.items():
        await grant_role(tg_id, Role.CURATOR, school_id=ids[code])
    return World(region_id, municipality_id, ids)


async def open_collection(
    coordinator: ChatDriver, title: str, template: bytes | None = None
) -> str:
    """The coordinator opens a collection for every organisation of the territory, from
    06.10.2026 10:00 to 10.10.2026 18:00, with a template file or without; returns the
    collection's screen."""
    await coordinator.send("/collections")
    await coordinator.click("Открыть сбор")
    await coordinator.send(title)
    await coordinator.send("06.10.2026 10:00")
    await coordinator.send("10.10.2026 18:00")
    await coordinator.click("Все организации моей территории")
    if template is None:
        return (await coordinator.click("Без шаблона")).text
    return (await coordinator.upload("шаблон.xlsx", template)).text
