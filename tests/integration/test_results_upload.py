"""Results from a file: rows saved or reported one by one, bad files refused whole."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.enums import Level, Placement
from models.olympiad import Registration
from services.errors import Refused
from services.results.upload import TEMPLATE_HEADERS, report_file, upload_results
from tests.support.results_world import NOW, World, count, register, world

__all__ = ["world"]
DATA = Path(__file__).parent.parent / "data" / "results"


@pytest.fixture
async def event_id(session: AsyncSession, world: World) -> int:
    async with session.begin():
        event = await world.event(
            session, "history", "history", Level.SCHOOL, municipality=world.ys
        )
        for name, school, grade in (
            ("Иванов Иван Петрович", world.school1, 9),
            ("Петрова Анна", world.school1, 10),
            ("Сидоров Пётр", world.school2, 9),
        ):
            await register(session, event, await world.person(session, name, school, grade))
        return event.id


async def scores(
    session: AsyncSession, event_id: int
) -> dict[str, tuple[float | None, str | None]]:
    from models.people import User

    rows = await session.execute(
        select(User.full_name, Registration.score, Registration.placement)
        .join(User, Registration.student_id == User.id)
        .where(Registration.event_id == event_id)
    )
    return {name: (score, placement) for name, score, placement in rows}


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_csv_rows_are_saved_and_the_rest_reported(
    session: AsyncSession, world: World, event_id: int
) -> None:
    content = (DATA / "history_results.csv").read_bytes()
    async with session.begin():
        outcomes = await upload_results(
            session, world.staff["curator1"], event_id, ("history.csv", content), NOW
        )
    assert [(o.number, o.problem.reason if o.problem else None) for o in outcomes] == [
        (2, None),
        (3, None),
        (4, "res_person_not_found"),
        (5, "res_person_not_found"),
        (6, "res_person_not_found"),
    ]
    # a curator's file does not set placements: the organiser does
    assert outcomes[0].placement_ignored
    assert await scores(session, event_id) == {
        "Иванов Иван Петрович": (37.5, None),
        "Петрова Анна": (12.0, None),
        "Сидоров Пётр": (None, None),
    }
    report = report_file(
        "history.csv",
        outcomes,
        ["Строка", "ФИО", "Балл", "Итог"],
        lambda o: "ok" if o.ok else o.problem.reason if o.problem else "",
    )
    assert report.filename == "history-report.csv"
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Строка", "ФИО", "Балл", "Итог"]
    assert lines[1] == ["2", "Иванов Иван Петрович", "37,5", "ok"]
    assert lines[5][1].startswith("'=")  # the typed formula stays text in the report


async def test_organisers_file_sets_placements(
    session: AsyncSession, world: World, event_id: int
) -> None:
    """The regional stage is scored by its organiser, so placements in the file count."""
    async with session.begin():
        event = await world.event(session, "reg", "history", Level.REGIONAL)
        student = await world.person(session, "Кузнецова Мария", world.school3, 11)
        await register(session, event, student)
        content = xlsx([TEMPLATE_HEADERS, ["Кузнецова", "Мария", "", "11", "48", "Призёр"]])
        outcomes = await upload_results(
            session, world.staff["regional"], event.id, ("regional.xlsx", content), NOW
        )
    assert [o.ok for o in outcomes] == [True]
    assert await scores(session, event.id) == {"Кузнецова Мария": (48.0, Placement.PRIZE)}
    report = report_file(
        "regional.xlsx", outcomes, ["Строка", "ФИО", "Балл", "Итог"], lambda o: "ok"
    )
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == [2, "Кузнецова Мария", "48", "ok"]


@pytest.mark.parametrize(
    ("filename", "content", "reason"),
    [
        ("results.pdf", b"%PDF-1.4", "file_wrong_type"),
        ("results.csv", b"   ", "file_empty"),
        ("results.csv", "Фамилия;Имя;Класс\nИванов;Иван;9\n".encode(), "file_missing_columns"),
        ("results.csv", "Фамилия;Имя;Класс;Балл\n".encode("utf-16"), "file_bad_encoding"),
        ("results.csv", b"x" * 5_000_001, "file_too_large"),
        (
            "results.csv",
            ("Фамилия;Имя;Класс;Балл\n" + "Иванов;Иван;9;1\n" * 5001).encode(),
            "file_too_many_rows",
        ),
    ],
)
async def test_bad_files_change_nothing(
    session: AsyncSession,
    world: World,
    event_id: int,
    filename: str,
    content: bytes,
    reason: str,
) -> None:
    with pytest.raises(Refused) as caught:
        async with session.begin():
            await upload_results(
                session, world.staff["curator1"], event_id, (filename, content), NOW
            )
    assert caught.value.reason == reason
    assert all(score is None for score, _ in (await scores(session, event_id)).values())
    assert await count(session, AuditEntry) == 0


async def test_outsider_cannot_upload(session: AsyncSession, world: World, event_id: int) -> None:
    content = (DATA / "history_results.csv").read_bytes()
    with pytest.raises(Refused, match="forbidden"):
        async with session.begin():
            await upload_results(
                session, world.staff["curator3"], event_id, ("h.csv", content), NOW
            )
