"""/export in the chat: a progress message, then the workbook of my scope as a document."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App
from models.audit import AuditEntry
from models.enums import Level
from models.geo import School
from tests.support.chat import ChatDriver
from tests.support.results_chat import add_student, event_id, extra_routers, register
from tests.support.staff_chat import DATA_ROLES, ROLES, Places, person_as, places, refused

__all__ = ["extra_routers"]
EVIL = '=HYPERLINK("http://example.com","x")'


async def registrations(app: App, where: Places) -> None:
    """Math and history in the demo municipality (two schools), one more in Tomsk."""
    async with app.sessionmaker() as session:
        gym = await session.scalar(select(School.id).where(School.code == "gym1"))
    assert gym is not None
    math = await event_id(app, "math", Level.SCHOOL)
    history = await event_id(app, "history", Level.SCHOOL)
    for name, school, event, score in (
        (EVIL, where.school, math, None),
        ("Борисов Борис", where.school, history, 42.5),
        ("Верина Вера", gym, history, 17),
        ("Томский Тимур", where.other_school, history, 3),
    ):
        await register(app, event, await add_student(app, name, school, 9), 9, score)


def workbook_names(content: bytes) -> dict[str, list[str]]:
    book = load_workbook(io.BytesIO(content))
    names: dict[str, list[str]] = {}
    for sheet in book.worksheets:
        column = [c.value for c in sheet[1]].index("ФИО") + 1
        names[sheet.title] = [str(sheet.cell(row=r, column=column).value)
                              for r in range(2, sheet.max_row + 1)]  # fmt: skip
    return names


async def test_municipal_export_by_subject_with_progress(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    await registrations(app, where)
    chat, _ = await person_as(app, make_chat, "municipal", where)
    reply = await chat.send("/export")
    assert "2026/27" in reply.text and reply.buttons == ["Лист на каждый предмет", "Один лист"]
    reply = await chat.click("Лист на каждый предмет")
    assert "⏳ Готовлю выгрузку… 0%" in reply.texts
    assert "⏳ Готовлю выгрузку… 100%" in reply.texts
    assert reply.text == "✅ Выгрузка готова: строк — 3."
    [document] = reply.documents
    assert document.file_name == "olympiad-2026-27.xlsx"
    assert workbook_names(document.content) == {
        "Математика": [EVIL],
        "История": ["Борисов Борис", "Верина Вера"],
    }
    book = load_workbook(io.BytesIO(document.content))
    cell = book["Математика"]["F2"]
    assert cell.value == EVIL and cell.data_type == "s"  # stays text, never a formula
    assert book["История"].freeze_panes == "A2"
    async with app.sessionmaker() as session:
        assert list(await session.scalars(select(AuditEntry.action))) == ["export"]


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_exports_only_its_scope(
    app: App, make_chat: Callable[..., ChatDriver], role: str
) -> None:
    where = await places(app)
    await registrations(app, where)
    chat, _ = await person_as(app, make_chat, role, where)
    reply = await chat.send("/export")
    if role in ("none", "student", "parent", *DATA_ROLES):
        assert refused(reply)
        return
    reply = await chat.click("Один лист")
    [document] = reply.documents
    names = sorted(workbook_names(document.content)["Участники"])
    expected = {
        "curator": [EVIL, "Борисов Борис"],  # own school only
        "municipal": [EVIL, "Борисов Борис", "Верина Вера"],
        "regional": [EVIL, "Борисов Борис", "Верина Вера"],  # Tomsk is another region
        "admin": [EVIL, "Борисов Борис", "Верина Вера", "Томский Тимур"],
    }
    assert names == sorted(expected[role])
