"""The panel's filters over HTTP: a region shows its municipalities, a chosen municipality its
schools; the search finds schools and students of my scope only."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.app import App
from models.enums import PersonKind, Role
from models.geo import Municipality, School
from models.olympiad import Registration
from models.people import User
from tests.support.app import grant
from tests.support.stage_chat import (
    COORDINATOR,
    REGIONAL,
    coordinator,
    demo_scope,
    event_id,
    regional,
)
from tests.support.webapp import get_panel, init_data

PLACES = re.compile(r'data-place-id="(\d+)"')


async def test_a_region_shows_municipalities_then_schools(app: App, web_url: str) -> None:
    await regional(app)
    region_id, muni_id = await demo_scope(app)
    async with app.sessionmaker() as session, session.begin():
        session.add(Municipality(region_id=region_id, code="kor", name="Корсаковский округ"))
    async with app.sessionmaker() as session:
        munis = set(await session.scalars(select(Municipality.id)))
        schools = set(
            await session.scalars(select(School.id).where(School.municipality_id == muni_id))
        )
    data = init_data(app, REGIONAL)
    status, body = await get_panel(web_url, data)
    assert status == 200
    assert 'id="municipalities"' in body
    assert {int(i) for i in PLACES.findall(body)} == munis
    status, body = await get_panel(web_url, data, f"?municipality={muni_id}")
    assert status == 200 and 'id="schools"' in body
    assert {int(i) for i in PLACES.findall(body)} == schools


async def test_search_finds_schools_and_students_in_scope(app: App, web_url: str) -> None:
    await coordinator(app)
    async with app.sessionmaker() as session, session.begin():
        school = (await session.scalars(select(School).order_by(School.id).limit(1))).one()
        session.add(
            User(
                full_name="Зоя Искомая",
                kind=PersonKind.STUDENT,
                grade=8,
                school_id=school.id,
                created_at=app.clock.now(),
            )
        )
        word = school.name.split()[1]  # e.g. «Лицей»
    data = init_data(app, COORDINATOR)
    for typed in ("Искомая", "искомая", "зоя искомая"):
        _status, body = await get_panel(web_url, data, f"?q={typed}")
        assert "Зоя Искомая" in body, typed
    _status, body = await get_panel(web_url, data, f"?q={word.lower()}")
    found = {int(i) for i in PLACES.findall(body)}
    assert school.id in found
    async with app.sessionmaker() as session:
        names = dict((await session.execute(select(School.id, School.name))).all())
    assert all(word.lower() in names[i].lower() for i in found)
    _status, body = await get_panel(web_url, data, "?q=%25")  # a wildcard is taken literally
    assert PLACES.findall(body) == []


async def test_a_curator_sees_grades_registrations_and_results(app: App, web_url: str) -> None:
    region_id, muni_id = await demo_scope(app)
    async with app.sessionmaker() as session:
        school = (await session.scalars(select(School).order_by(School.id).limit(1))).one()
    await grant(
        app, 800, Role.CURATOR, region_id=region_id, municipality_id=muni_id, school_id=school.id
    )
    math = await event_id(app, "math")
    async with app.sessionmaker() as session, session.begin():
        students = [
            User(full_name=f"Ученик {i}", kind=PersonKind.STUDENT, grade=9, school_id=school.id,
                 created_at=app.clock.now())
            for i in range(2)
        ]  # fmt: skip
        session.add_all(students)
        await session.flush()
        session.add_all(
            Registration(event_id=math, student_id=s.id, grade=9, score=score,
                         created_at=app.clock.now())
            for s, score in zip(students, (30.0, None), strict=True)
        )  # fmt: skip
    status, body = await get_panel(web_url, init_data(app, 800))
    assert status == 200
    row = re.search(rf'data-event-id="{math}".*?</li>', body, re.S)
    assert row is not None
    assert "записано: 2" in row.group(0) and "результаты: 1 из 2" in row.group(0)
    assert 'data-grade="9"' in body
