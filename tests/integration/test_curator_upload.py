"""A curator's list file: rows become students and registrations, or a reason in the report."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.enums import Level, PersonKind
from models.people import User
from services.curator.upload import Outcome, import_list
from services.errors import Refused
from tests.support.curator_world import (
    NOW,
    add_curator,
    add_student,
    build_world,
    counts,
    i18n_context,
    registered_names,
)

pytestmark = pytest.mark.usefixtures(i18n_context.__name__)

LIST = """Фамилия;Имя;Отчество;Класс;Предметы
Петрова;Анна;Сергеевна;7А;Математика, biology
Новиков;Никита;;8 класс;"математика; ОБЖ"
Новиков;Никита;;8;Математика
Безымянный;;;7;Математика
Кто-то;Такой;;двенадцатый;Математика
Лишний;Предмет;;7;Астрономия, Алхимия
Поздний;Павел;;7;Английский язык
Малыш;Миша;;3;Математика
Просто;Ученик;;6;
"""


async def test_list_is_imported_with_a_line_per_outcome(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    anna = await add_student(session, world.school_a, 7, "Анна Петрова", tg_id=3001)
    result = await import_list(
        session,
        curator,
        world.school_a,
        "список.csv",
        LIST.encode("cp1251"),
        rules=world.ref.rules,
        now=NOW,
    )
    got = [
        (
            line.row.number,
            line.subject,
            line.outcome,
            line.refusal.reason if line.refusal else None,
        )
        for line in result.lines
    ]
    assert got == [
        (2, "Математика", Outcome.REGISTERED, None),
        (2, "biology", Outcome.REGISTERED, None),
        (3, "математика", Outcome.REGISTERED, None),
        (3, "ОБЖ", Outcome.REGISTERED, None),
        (4, "Математика", Outcome.ALREADY, "reg_already"),
        (5, "", Outcome.INVALID, "row_no_name"),
        (6, "", Outcome.INVALID, "row_bad_grade"),
        (7, "Астрономия", Outcome.INELIGIBLE, "no_school_event"),
        # The student is added; only the subject is not recognised (the row is not invalid).
        (7, "Алхимия", Outcome.UNKNOWN_SUBJECT, "row_unknown_subject"),
        (8, "Английский язык", Outcome.INELIGIBLE, "reg_status_closed"),
        (9, "Математика", Outcome.INELIGIBLE, "reg_grade_not_admitted"),
        (10, "", Outcome.LISTED, None),
    ]
    assert (result.rows, result.created, result.invalid_rows) == (9, 5, 2)
    math = world.events[("math", Level.SCHOOL)]
    assert await registered_names(session, math) == ["Анна Петрова", "Новиков Никита"]
    created = (
        await session.scalars(
            select(User).where(User.tg_id.is_(None), User.school_id == world.school_a)
        )
    ).all()
    assert sorted(u.full_name for u in created) == [
        "Лишний Предмет",
        "Малыш Миша",
        "Новиков Никита",
        "Поздний Павел",
        "Просто Ученик",
    ]
    assert all(u.kind == PersonKind.STUDENT for u in created)
    assert anna.full_name == "Анна Петрова"  # matched by name, not duplicated


async def test_cells_beyond_the_header_are_reported_not_dropped(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    content = (
        "Фамилия;Имя;Отчество;Класс;Предметы\n"
        "Сидоров;Алексей;Иванович;11;математика;физика\n"  # subjects split by mistake
        "Петров;Пётр;;9;математика;;\n"  # empty trailing cells are fine
    ).encode()
    result = await import_list(
        session, curator, world.school_a, "list.csv", content, rules=world.ref.rules, now=NOW
    )
    got = [
        (line.row.number, line.outcome, line.refusal.reason if line.refusal else None)
        for line in result.lines
    ]
    assert got == [(2, Outcome.INVALID, "row_extra_cells"), (3, Outcome.REGISTERED, None)]
    refusal = result.lines[0].refusal
    assert refusal is not None and refusal.details == {"row": 2, "extra": "«физика»"}
    assert (result.invalid_rows, result.created) == (1, 1)  # the shifted row creates nobody
    math = world.events[("math", Level.SCHOOL)]
    assert await registered_names(session, math) == ["Петров Пётр"]


async def test_second_upload_finds_the_records_it_made(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    content = "Фамилия,Имя,Класс,Предметы\nНовиков,Никита,8,Математика\n".encode()
    await import_list(
        session, curator, world.school_a, "a.csv", content, rules=world.ref.rules, now=NOW
    )
    moved = "Фамилия,Имя,Класс,Предметы\nновиков,никита,9,Математика\n".encode()
    result = await import_list(
        session, curator, world.school_a, "a.csv", moved, rules=world.ref.rules, now=NOW
    )
    assert [line.outcome for line in result.lines] == [Outcome.ALREADY]
    assert result.created == 0
    record = await session.scalar(select(User).where(User.full_name == "Новиков Никита"))
    assert record is not None and record.grade == 9  # the curator's record follows the list


async def test_telegram_student_with_another_grade_is_not_changed(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    anna = await add_student(session, world.school_a, 7, "Петрова Анна", tg_id=3001)
    content = "Фамилия;Имя;Класс;Предметы\nПетрова;Анна;8;Математика\n".encode()
    result = await import_list(
        session, curator, world.school_a, "a.csv", content, rules=world.ref.rules, now=NOW
    )
    assert [(x.outcome, x.refusal.reason if x.refusal else None) for x in result.lines] == [
        (Outcome.INVALID, "row_grade_differs")
    ]
    assert anna.grade == 7


@pytest.mark.parametrize(
    ("filename", "content", "reason"),
    [
        ("list.txt", b"x", "file_wrong_type"),
        ("list.xlsx", b"not a zip", "file_wrong_type"),
        ("list.csv", b"\x00\x01\x02binary", "file_wrong_type"),
        ("list.csv", b"\n", "file_empty"),
        ("list.csv", "Фамилия;Имя\nА;Б\n".encode(), "file_missing_columns"),
        ("list.csv", "Фамилия;Имя;Класс;Предметы\n".encode(), "file_no_rows"),
        (
            "list.csv",
            "Фамилия;Имя;Класс;Предметы\nА;Б;7;Математика\n".encode("utf-16"),
            "file_bad_encoding",
        ),
        ("list.csv", b"a" * 5_000_001, "file_too_large"),
        (
            "list.csv",
            ("Фамилия;Имя;Класс;Предметы\n" + "А;Б;7;Математика\n" * 20_001).encode(),
            "file_too_many_rows",
        ),
    ],
)
async def test_refused_file_changes_nothing(
    session: AsyncSession, filename: str, content: bytes, reason: str
) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    before = await counts(session)
    with pytest.raises(Refused) as info:
        await import_list(
            session, curator, world.school_a, filename, content, rules=world.ref.rules, now=NOW
        )
    assert info.value.reason == reason
    assert await counts(session) == before


async def test_other_school_is_refused_before_reading(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    before = await counts(session)
    with pytest.raises(Refused) as info:
        await import_list(
            session,
            curator,
            world.school_b,
            "a.csv",
            LIST.encode(),
            rules=world.ref.rules,
            now=NOW,
        )
    assert info.value.reason == "forbidden"
    assert await counts(session) == before


async def test_database_failure_half_way_leaves_nothing(
    session: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    await session.commit()
    await _fail_inserts_for(session, "Сбой")
    before = await counts(session)
    content = "Фамилия;Имя;Класс;Предметы\nПервый;Ок;7;Математика\nСбой;Диска;7;Математика\n"
    async with sessionmaker() as fresh:
        with pytest.raises(DBAPIError):
            async with fresh.begin():  # what the update middleware does: commit or roll back
                me = await fresh.get(User, curator.user.id)
                assert me is not None
                ident = type(curator)(user=me, grants=curator.grants)
                await import_list(
                    fresh,
                    ident,
                    world.school_a,
                    "a.csv",
                    content.encode(),
                    rules=world.ref.rules,
                    now=NOW,
                )
    assert await counts(session) == before
    assert await session.scalar(select(User).where(User.full_name == "Первый Ок")) is None


async def _fail_inserts_for(session: AsyncSession, surname: str) -> None:
    """A trigger that breaks the database when a registration of `surname` is inserted."""
    if session.bind.dialect.name == "sqlite":
        await session.execute(
            text(
                "CREATE TRIGGER broken BEFORE INSERT ON registration "
                "WHEN (SELECT full_name FROM user_account WHERE id = NEW.student_id) "
                f"LIKE '{surname}%' BEGIN INSERT INTO no_such_table VALUES (1); END"
            )
        )
    else:
        await session.execute(
            text(
                "CREATE FUNCTION broken() RETURNS trigger AS $$ BEGIN "
                "IF (SELECT full_name FROM user_account WHERE id = NEW.student_id) "
                f"LIKE '{surname}%' "
                "THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        await session.execute(
            text(
                "CREATE TRIGGER broken BEFORE INSERT ON registration "
                "FOR EACH ROW EXECUTE FUNCTION broken()"
            )
        )
    await session.commit()


async def test_upload_plans_the_registered_students_reminders(session: AsyncSession) -> None:
    from models.outbox import Outbox

    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    anna = await add_student(session, world.school_a, 7, "Анна Петрова", tg_id=3001)
    result = await import_list(
        session,
        curator,
        world.school_a,
        "список.csv",
        "Фамилия;Имя;Класс;Предметы\nПетрова;Анна;7;Математика\n".encode(),
        rules=world.ref.rules,
        now=NOW,
    )
    assert [line.outcome for line in result.lines] == [Outcome.REGISTERED]
    planned = await session.scalars(select(Outbox.key).where(Outbox.user_id == anna.id))
    assert list(planned), "the bulk path must still plan reminders, once per event"
