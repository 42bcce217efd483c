"""A formula in a class list's surname column is reported by its text (issue 15.24).

A file made by a program keeps no computed value for a formula, and the list reader took the
cell for empty: the report said «Не указана фамилия» and left the surname cell blank, so the
curator could not see which cell was wrong nor what was in it.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook, load_workbook

from bot.app import App
from tests.support.chat import ChatDriver
from tests.support.curator_chat import curator_of, db_counts, schools

FORMULA = '=UPPER("петров")'


def class_list() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Фамилия", "Имя", "Класс", "Предметы"])
    sheet.append([FORMULA, "Пётр", 9, "Математика"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def test_the_report_shows_the_formula_as_text(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 821, where.a)
    chat = make_chat(821)
    await chat.send("/school")
    await chat.click("Загрузить список")
    before = await db_counts(app)
    reply = await chat.upload("ученики.xlsx", class_list())
    [report] = reply.documents
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert sheet is not None
    assert sheet["B2"].data_type == "s"  # written back as text, never as a formula
    assert sheet["B2"].value == FORMULA
    assert sheet["G2"].value == "ошибка в строке"
    assert sheet["H2"].value == f"В ячейке формула {FORMULA}, а не имя. Впишите само имя текстом."
    users, registrations, _ = await db_counts(app)
    assert (users, registrations) == before[:2]  # no student named after a formula
