"""Who gets the panel: a valid, fresh initData of a person with a role, and only their scope."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select

from bot.app import App
from models.enums import Role
from models.geo import School
from tests.support.app import grant
from tests.support.stage_chat import COORDINATOR, coordinator, demo_scope, other_municipality
from tests.support.webapp import get_panel, init_data

UNAUTHORIZED = (401, "401: Unauthorized")
FORBIDDEN = (403, "403: Forbidden")


def _without(data: str, field: str) -> str:
    return urlencode([(k, v) for k, v in parse_qsl(data) if k != field])


async def test_a_coordinator_gets_their_panel(app: App, web_url: str) -> None:
    await coordinator(app)
    status, body = await get_panel(web_url, init_data(app, COORDINATOR))
    assert status == 200
    assert "data-total-events" in body


async def test_forged_foreign_expired_or_incomplete_init_data_gets_401(
    app: App, web_url: str
) -> None:
    await coordinator(app)
    good = init_data(app, COORDINATOR)
    forged = good.replace("%D0%98", "%D0%90")  # the name changed after signing
    assert forged != good
    other_bot = init_data(app, COORDINATOR, token="123456:another-bot-token")
    expired = init_data(app, COORDINATOR, age=dt.timedelta(hours=25))
    future = init_data(app, COORDINATOR, age=-dt.timedelta(hours=1))
    cases = {
        "missing": None,
        "empty": "",
        "forged": forged,
        "other bot": other_bot,
        "expired": expired,
        "from the future": future,
        "no hash": _without(good, "hash"),
        "no user": _without(good, "user"),
        "no auth_date": _without(good, "auth_date"),
        "not a query": "garbage%%",
    }
    for name, data in cases.items():
        assert await get_panel(web_url, data) == UNAUTHORIZED, name


async def test_init_data_in_the_query_works_too(app: App, web_url: str) -> None:
    await coordinator(app)
    query = "?" + urlencode({"initData": init_data(app, COORDINATOR)})
    status, _ = await get_panel(web_url, None, query)
    assert status == 200


async def test_another_municipality_by_url_is_403_with_nothing_leaked(
    app: App, web_url: str
) -> None:
    await coordinator(app)
    other = await other_municipality(app)
    async with app.sessionmaker() as session, session.begin():
        school = School(municipality_id=other, code="k1", name="Корсаковская школа № 1")
        session.add(school)
        await session.flush()
        school_id = school.id
    data = init_data(app, COORDINATOR)
    for query in (f"?municipality={other}", f"?school={school_id}", "?municipality=99999"):
        assert await get_panel(web_url, data, query) == FORBIDDEN, query
    _status, body = await get_panel(web_url, data)
    assert "Корсаковская" not in body


async def test_a_student_and_a_stranger_get_403(app: App, web_url: str) -> None:
    assert await get_panel(web_url, init_data(app, 5555, first_name="Аня")) == FORBIDDEN


async def test_a_curator_sees_their_school_only(app: App, web_url: str) -> None:
    region_id, muni_id = await demo_scope(app)
    async with app.sessionmaker() as session:
        schools = list(await session.scalars(select(School).order_by(School.id).limit(2)))
    mine, other = schools
    await grant(
        app, 800, Role.CURATOR, region_id=region_id, municipality_id=muni_id, school_id=mine.id
    )
    data = init_data(app, 800)
    status, body = await get_panel(web_url, data)
    assert status == 200
    assert mine.name in body
    assert await get_panel(web_url, data, f"?school={other.id}") == FORBIDDEN
