"""Exports: what each role may see, in chunks, as a workbook that never runs a formula."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.enums import Level
from services.errors import Refused
from services.exports import lists as exports
from services.exports.lists import Layout
from services.people.identity import Identity
from tests.support.results_world import NOW, YEAR, World, count, register, world

__all__ = ["world"]


@pytest.fixture
async def registered(session: AsyncSession, world: World) -> None:
    async with session.begin():
        math = await world.event(session, "math", "math", Level.SCHOOL, municipality=world.ys)
        kor = await world.event(session, "kmath", "math", Level.SCHOOL, municipality=world.kor)
        history = await world.event(
            session, "hist", "history", Level.SCHOOL, municipality=world.ys
        )
        old = await world.event(
            session, "old", "history", Level.SCHOOL, municipality=world.ys, year=YEAR - 1
        )
        rows = (
            ('=HYPERLINK("http://x","y") Анна', world.school1, math, 30.5),
            ("Борис Б", world.school2, math, None),
            ("Вера В", world.school1, history, 12),
            ("Глеб Г", world.school3, kor, 7),
            ("Давид Д", world.school1, old, 1),
        )
        for name, school, event, score in rows:
            await register(session, event, await world.person(session, name, school, 9), score)


async def export_rows(session: AsyncSession, ident: Identity) -> list[tuple[object, ...]]:
    scope = await exports.export_scope(session, ident)
    found = []
    async for chunk in exports.chunks(session, scope, YEAR, size=2):
        found.extend(chunk)
    assert len(found) == await exports.count_rows(session, scope, YEAR)
    return found


@pytest.mark.usefixtures("registered")
async def test_each_role_sees_its_own_scope(session: AsyncSession, world: World) -> None:
    seen = {
        who: sorted(str(row[7])[:5] for row in await export_rows(session, world.staff[who]))
        for who in ("curator1", "curator3", "municipal", "municipal_kor", "regional")
    }
    assert seen == {
        "curator1": ["=HYPE", "Вера "],
        "curator3": ["Глеб "],
        "municipal": ["=HYPE", "Борис", "Вера "],
        "municipal_kor": ["Глеб "],
        "regional": ["=HYPE", "Борис", "Вера ", "Глеб "],
    }
    admin = Identity(user=world.staff["curator1"].user, is_admin=True)
    assert len(await export_rows(session, admin)) == 4  # this school year only


async def test_people_without_a_staff_role_cannot_export(
    session: AsyncSession, world: World
) -> None:
    async with session.begin():
        student = await world.person(session, "Ученик", world.school1, 9)
    with pytest.raises(Refused, match="forbidden"):
        await exports.export_scope(session, Identity(user=student))


@pytest.mark.usefixtures("registered")
async def test_workbook_sheets_headers_and_formula_safety(
    session: AsyncSession, world: World
) -> None:
    rows = await export_rows(session, world.staff["municipal"])
    book = load_workbook(io.BytesIO(exports.build_export(rows, Layout.BY_SUBJECT)))
    assert book.sheetnames == ["Математика", "История"]
    sheet = book["Математика"]
    assert [c.value for c in sheet[1]][:3] == ["Этап", "Дата проведения", "Муниципалитет"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 8
    names = [sheet.cell(row=r, column=6) for r in (2, 3)]
    injected = next(c for c in names if str(c.value).startswith("="))
    assert injected.data_type == "s"  # text, not a formula
    flat = load_workbook(io.BytesIO(exports.build_export(rows, Layout.FLAT))).active
    assert flat is not None
    assert [c.value for c in flat[1]] == list(exports.HEADERS)
    assert flat.max_row == 4
    values = {c.value for row in flat.iter_rows(min_row=2) for c in row}
    assert {"школьный", 30.5, "Южно-Сахалинск"} <= values
    assert "зарегистрирован" in values


async def test_export_is_audited(session: AsyncSession, world: World) -> None:
    async with session.begin():
        await exports.record_export(
            session,
            world.staff["municipal"],
            await exports.export_scope(session, world.staff["municipal"]),
            3,
            Layout.FLAT,
            NOW,
        )
    assert await count(session, AuditEntry) == 1


async def test_date_is_the_one_of_the_registration_grade(
    session: AsyncSession, world: World
) -> None:
    async with session.begin():
        informatics = await world.event(
            session, "inf", "math", Level.SCHOOL, municipality=world.ys
        )
        informatics.grade_dates = {"8": "2026-12-09", "9": "2026-12-10"}
        eighth = await world.person(session, "Восьмой В", world.school1, 9)
        # Registered in grade 8 and moved up since: the registration's grade decides.
        await register(session, informatics, eighth, grade=8)
        other = await world.person(session, "Другой Д", world.school1, 7)
        await register(session, informatics, other)  # no band for grade 7: the main date
    rows = await export_rows(session, world.staff["curator1"])
    dates = {row[7]: row[3] for row in rows}
    assert dates == {"Восьмой В": dt.date(2026, 12, 9), "Другой Д": informatics.held_on}
    flat = load_workbook(io.BytesIO(exports.build_export(rows, Layout.FLAT))).active
    assert flat is not None
    by_name = {row[6].value: row[2].value for row in flat.iter_rows(min_row=2)}
    assert by_name["Восьмой В"].date() == dt.date(2026, 12, 9)
