"""A parent who never chose a school reads times in their child's zone (issue 15.12).

Such a parent saw Moscow times in /due, with no zone named, where the child saw Sakhalin ones.
The zone rule (models/zones.py) behind every screen and reminder now falls back to a linked
child's school before a role's region or the deployment's default.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import PersonKind
from models.geo import Municipality, Region, School
from models.people import ParentLink, User
from models.zones import zones_of

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


async def test_a_parent_without_a_school_reads_the_childs_zone(session: AsyncSession) -> None:
    region = Region(code="65", name_ru="Сахалинская", name_en="Sakhalin", timezone="Asia/Sakhalin")
    session.add(region)
    await session.flush()
    town = Municipality(region_id=region.id, code="ys", name="Южно-Сахалинск")
    session.add(town)
    await session.flush()
    school = School(municipality_id=town.id, code="s1", name="Школа № 1")
    session.add(school)
    await session.flush()
    child = User(tg_id=1, full_name="Аня", kind=PersonKind.STUDENT, school_id=school.id,
                 grade=7, created_at=NOW)  # fmt: skip
    parent = User(tg_id=2, full_name="Мама", kind=PersonKind.PARENT, created_at=NOW)
    stranger = User(tg_id=3, full_name="Никто", kind=PersonKind.PARENT, created_at=NOW)
    session.add_all([child, parent, stranger])
    await session.flush()
    session.add(ParentLink(parent_id=parent.id, child_id=child.id, created_at=NOW))
    await session.flush()
    zones = await zones_of(session, [child.id, parent.id, stranger.id], "Europe/Moscow")
    assert zones == {
        child.id: "Asia/Sakhalin",
        parent.id: "Asia/Sakhalin",  # was Europe/Moscow
        stranger.id: "Europe/Moscow",
    }
    parent.timezone = "Asia/Tomsk"  # their own choice still comes first
    await session.flush()
    assert (await zones_of(session, [parent.id], "Europe/Moscow")) == {parent.id: "Asia/Tomsk"}
