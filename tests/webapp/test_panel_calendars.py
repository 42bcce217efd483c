"""The panel's calendar sections: the data collections (states per organisation, lagging first,
totals as in the database) and the schools' data calendars (lagging schools, one school's
steps), scoped as in the chat: another municipality's collection or school is 403."""

from __future__ import annotations

import re

import aiohttp
from sqlalchemy import select

from bot.app import App
from models.collections import OrgState
from models.enums import Role
from models.geo import School
from tests.support.app import grant
from tests.support.calendar_panel import collection, db_states, get_calendar, two_municipalities
from tests.support.stage_chat import demo_scope
from tests.support.webapp import init_data
from webapp.auth import HEADER

OFFICE = 801  # the demo municipality's office
OTHER_OFFICE = 802  # the other municipality's
OPERATOR = 803  # a demo school's data operator
FORBIDDEN = (403, "403: Forbidden")


async def offices(app: App, theirs: int) -> int:
    """An office for each municipality; the other municipality's id (that of `theirs`)."""
    region_id, muni = await demo_scope(app)
    async with app.sessionmaker() as session:
        other = await session.scalar(select(School.municipality_id).where(School.id == theirs))
    assert other is not None
    await grant(app, OFFICE, Role.MUNICIPAL_OFFICE, region_id=region_id, municipality_id=muni)
    await grant(app, OTHER_OFFICE, Role.MUNICIPAL_OFFICE, region_id=region_id,
                municipality_id=other)  # fmt: skip
    return other


async def test_collections_totals_lagging_first_and_another_municipality_403(
    app: App, web_url: str
) -> None:
    ours, theirs = await two_municipalities(app)
    _region, muni = await demo_scope(app)
    other = await offices(app, theirs)
    states = [OrgState.SUBMITTED, OrgState.IN_PROGRESS, OrgState.NOT_STARTED]
    mine = await collection(app, "ОО-1 2026", muni, {s: states[i % 3] for i, s in enumerate(ours)})
    foreign = await collection(app, "Сбор Корсакова", other, {theirs: OrgState.NOT_STARTED})

    data = init_data(app, OFFICE)
    status, body = await get_calendar(web_url, data, "cal=collections")
    assert status == 200
    assert "ОО-1 2026" in body and "Сбор Корсакова" not in body
    expected = await db_states(app, mine)
    for state in OrgState:
        shown = re.search(rf'data-state="{state}">(\d+)<', body)
        assert shown is not None and int(shown.group(1)) == expected.get(str(state), 0), state
    assert int(re.findall(r"data-total>(\d+)<", body)[0]) == len(ours)
    order = re.findall(r'data-org-state="(\w+)"', body)
    assert order == sorted(order, key=[str(s) for s in OrgState].index)  # lagging first
    assert order[0] == OrgState.NOT_STARTED

    assert await get_calendar(web_url, data, f"cal=collections&c={foreign}") == FORBIDDEN
    assert (await get_calendar(web_url, data, "cal=collections&c=99999"))[0] == 409  # unknown
    other_status, other_body = await get_calendar(
        web_url, init_data(app, OTHER_OFFICE), f"cal=collections&c={foreign}"
    )
    assert other_status == 200 and "Корсаковская школа № 1" in other_body
    assert "ОО-1 2026" not in other_body


async def test_steps_lagging_schools_one_school_and_another_municipality_403(
    app: App, web_url: str
) -> None:
    ours, theirs = await two_municipalities(app)
    region_id, muni = await demo_scope(app)
    await offices(app, theirs)
    await grant(app, OPERATOR, Role.DATA_OPERATOR, region_id=region_id, municipality_id=muni,
                school_id=ours[0])  # fmt: skip

    data = init_data(app, OFFICE)
    status, body = await get_calendar(web_url, data, "cal=school_passport")
    assert status == 200
    listed = re.findall(r'id="lagging-schools">(.*?)</ul>', body, re.S)[0]
    shown = {int(i) for i in re.findall(r'data-school-id="(\d+)"', listed)}
    assert shown == set(ours)  # every school of the municipality, none of the other
    overdue = [int(n) for n in re.findall(r'data-overdue="(\d+)"', listed)]
    assert overdue == sorted(overdue, reverse=True)

    status, board = await get_calendar(web_url, data, f"cal=school_passport&school={ours[0]}")
    assert status == 200 and 'id="school-steps"' in board
    assert await get_calendar(web_url, data, f"cal=school_passport&school={theirs}") == FORBIDDEN
    assert await get_calendar(web_url, data, "cal=no_such_calendar") == FORBIDDEN

    operator = init_data(app, OPERATOR)
    status, own = await get_calendar(web_url, operator, "cal=school_passport")
    assert status == 200 and 'id="own-schools"' in own and 'id="lagging-schools"' not in own
    assert await get_calendar(web_url, operator, f"cal=school_passport&school={ours[1]}") == (
        FORBIDDEN
    )
    # The operator has no olympiad panel: the first screen is their calendars.
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{web_url}/app/api/panel", headers={HEADER: operator}) as response,
    ):
        assert response.status == 200
        first = await response.text()
    assert 'id="sections"' in first and "Паспорт школы" in first
