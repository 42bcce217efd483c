"""A curator of several schools picks the school the panel shows (the first by default); a
school that is not theirs is 403."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.app import App
from models.enums import Role
from models.geo import School
from tests.support.app import grant
from tests.support.calendar_panel import two_municipalities
from tests.support.stage_chat import demo_scope
from tests.support.webapp import get_panel, init_data

CURATOR = 810


async def test_a_curator_of_two_schools_picks_one(app: App, web_url: str) -> None:
    ours, theirs = await two_municipalities(app)
    region_id, muni = await demo_scope(app)
    for school_id in ours[:2]:
        await grant(app, CURATOR, Role.CURATOR, region_id=region_id, municipality_id=muni,
                    school_id=school_id)  # fmt: skip
    async with app.sessionmaker() as session:
        rows = await session.execute(select(School.id, School.name).where(School.id.in_(ours)))
        names = {school_id: name for school_id, name in rows}
    data = init_data(app, CURATOR)

    status, first = await get_panel(web_url, data)
    assert status == 200
    assert re.search(r"<h1>(.*?)</h1>", first).group(1) == names[ours[0]]  # type: ignore[union-attr]
    choices = re.findall(
        r'<option value="(\d+)"', first.split('name="school"')[1].split("</select>")[0]
    )
    assert [int(c) for c in choices] == ours[:2]  # both schools, and no other

    status, second = await get_panel(web_url, data, f"?school={ours[1]}")
    assert status == 200
    assert re.search(r"<h1>(.*?)</h1>", second).group(1) == names[ours[1]]  # type: ignore[union-attr]
    assert f'<option value="{ours[1]}" selected>' in second

    for other in (ours[2], theirs):
        assert await get_panel(web_url, data, f"?school={other}") == (403, "403: Forbidden")


async def test_a_curator_of_one_school_gets_no_choice(app: App, web_url: str) -> None:
    ours, _theirs = await two_municipalities(app)
    region_id, muni = await demo_scope(app)
    await grant(app, CURATOR, Role.CURATOR, region_id=region_id, municipality_id=muni,
                school_id=ours[0])  # fmt: skip
    status, body = await get_panel(web_url, init_data(app, CURATOR))
    assert status == 200 and 'name="school"' not in body
