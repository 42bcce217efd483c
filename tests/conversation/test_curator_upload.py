"""Uploading a list: a report file and a one-line summary; a bad file is explained, no change."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from openpyxl import Workbook, load_workbook

from bot.app import App
from tests.support.chat import ChatDriver
from tests.support.curator_chat import (
    add_students,
    curator_of,
    db_counts,
    extra_routers,
    registered,
    schools,
)

__all__ = ["extra_routers"]

LIST = (
    "Фамилия;Имя;Отчество;Класс;Предметы\n"
    "Петрова;Анна;;7А;Математика, Биология\n"
    "Новиков;Никита;Олегович;8;математика\n"
    "Безымянный;;;7;Математика\n"
    "Малыш;Миша;;3;Математика\n"
    "Поздний;Павел;;7;Английский язык, Алхимия\n"
)


async def _open_upload(chat: ChatDriver, button: str) -> None:
    await chat.send("/school")
    reply = await chat.click(button)
    assert "Фамилия · Имя · Отчество · Класс · Предметы" in reply.text


async def test_csv_in_windows_1251_gives_a_report_ru(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 811, where.a)
    await add_students(app, where.a, 7, ["Анна Петрова"], [3011])
    chat = make_chat(811)
    await _open_upload(chat, "Загрузить список")
    reply = await chat.click("Скачать шаблон")
    [template] = reply.documents
    assert template.file_name == "students.xlsx"
    reply = await chat.upload("ученики.csv", LIST.encode("cp1251"))
    assert reply.text == (
        "📄 Строк: 5 · записано: 3 · уже были: 0 · не допущено: 2 · строк с ошибками: 1 · "
        "новых учеников: 3 · нераспознанных предметов: 1"
    )
    [report] = reply.documents
    assert report.file_name == "ученики_отчёт.csv"
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        *("Строка", "Фамилия", "Имя", "Отчество", "Класс", "Предмет", "Результат", "Причина")
    ]
    by_row = {(r[0], r[5]): (r[6], r[7]) for r in rows[1:]}
    assert by_row[("2", "Математика")] == ("записан", "")
    assert by_row[("4", "")] == ("ошибка в строке", "Не указано имя.")
    assert by_row[("5", "Математика")][0] == "не может быть записан"
    assert "4–11" in by_row[("5", "Математика")][1]
    assert by_row[("6", "Английский язык")][0] == "не может быть записан"
    assert by_row[("6", "Алхимия")] == (  # the student is added, the subject is not
        "в списке школы, предмет не распознан",
        "Неизвестный предмет «Алхимия»: напишите его так, как в перечне предметов.",
    )
    assert await registered(app, where.math) == ["Анна Петрова", "Новиков Никита Олегович"]


async def test_xlsx_gives_an_xlsx_report_en(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 812, where.a)
    chat = make_chat(812, language_code="en")
    await _open_upload(chat, "Upload a list")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Surname", "Name", "Grade", "Subjects"])
    sheet.append(['=HYPERLINK("x")', "Ann", 9, "Mathematics"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    reply = await chat.upload("pupils.xlsx", buffer.getvalue())
    assert reply.text.startswith("📄 Rows: 1 · registered: 0")
    [report] = reply.documents
    assert report.file_name == "pupils_report.xlsx"
    got = load_workbook(io.BytesIO(report.content)).active
    assert got is not None
    assert [c.value for c in got[1]] == [
        *("Row", "Surname", "Name", "Patronymic", "Grade", "Subject", "Result", "Why")
    ]
    # The file keeps no value for the formula: its text is reported, and the row refused.
    assert got["B2"].value == '=HYPERLINK("x")'
    assert got["G2"].value == "row invalid"
    assert got["H2"].value == (
        'The cell holds the formula =HYPERLINK("x") instead of a name. '
        "Type the name itself as text."
    )


HEADER = "Фамилия;Имя;Класс;Предметы\n"
BAD_FILES = [
    ("list.txt", b"hello", "Не получается прочитать файл list.txt как таблицу"),
    ("list.xlsx", HEADER.encode() * 3, "Не получается прочитать файл list.xlsx как таблицу"),
    ("list.csv", b"\xff\xfe" + HEADER.encode("utf-16-le"), "Не получается прочитать текст файла"),
    ("list.csv", b"\n\n", "Файл пустой."),
    ("list.csv", "Фамилия;Имя\nА;Б\n".encode(), "В таблице нет столбцов «Класс», «Предметы»."),
    ("list.csv", b"x" * 5_000_001, "Файл слишком большой: не более 5 МБ."),
    (
        "list.csv",
        (HEADER + "А;Б;7;Математика\n" * 20_001).encode(),
        "В таблице больше 20000 строк.",
    ),
    ("list.csv", HEADER.encode(), "В таблице есть заголовки, но нет ни одной строки"),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_FILES)
async def test_bad_file_is_explained_and_changes_nothing(
    app: App, make_chat: Callable[..., ChatDriver], name: str, content: bytes, expected: str
) -> None:
    where = await schools(app)
    await curator_of(app, 813, where.a)
    chat = make_chat(813)
    await _open_upload(chat, "Загрузить список")
    before = await db_counts(app)
    reply = await chat.upload(name, content)
    assert reply.text.startswith(expected), reply.text
    assert reply.documents == []
    assert await db_counts(app) == before
    # Still waiting for a file: a good one goes through now.
    good = "Фамилия;Имя;Класс;Предметы\nНовиков;Никита;8;Математика\n".encode()
    reply = await chat.upload("list.csv", good)
    assert "записано: 1" in reply.text


async def test_text_instead_of_a_file(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    where = await schools(app)
    await curator_of(app, 814, where.a)
    chat = make_chat(814, language_code="en")
    await _open_upload(chat, "Upload a list")
    reply = await chat.send("Ivanov Petr 7")
    assert reply.text == "Send the list as a file (a document), not as a photo or text."
