"""Each catalog screen is one statement, however many registrations there are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from models.enums import PersonKind, RegistrationState
from models.olympiad import Registration
from models.people import User
from services.catalog.card import event_card
from services.catalog.listing import CatalogFilter, catalog_page
from services.catalog.my_status import status_page
from tests.support.catalog_world import NOW, RULES, TODAY, World, i18n, world

__all__ = ["i18n", "world"]  # fixtures used here

STUDENTS = 400


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)


async def _crowd(world: World) -> int:
    """400 students of s1, each on every event of the world: 3,600 registrations."""
    students = (
        await world.session.scalars(
            insert(User).returning(User.id),
            [
                {
                    "full_name": f"S{n}",
                    "kind": PersonKind.STUDENT,
                    "grade": 9,
                    "school_id": world.schools["s1"].id,
                    "created_at": NOW,
                }
                for n in range(STUDENTS)
            ],
        )
    ).all()
    rows = [
        {
            "event_id": ev.id,
            "student_id": student_id,
            "grade": 9,
            "created_at": NOW,
            "state": RegistrationState.PARTICIPATED,
            "score": float(n % 30),
        }
        for n, student_id in enumerate(students)
        for ev in world.events.values()
    ]
    await world.session.execute(insert(Registration), rows)
    await world.session.commit()
    return len(rows)


async def test_catalog_card_and_status_are_one_statement_each(
    world: World, engine: AsyncEngine
) -> None:
    assert await _crowd(world) >= 3000
    viewer = await world.person("Viewer", "s1", 9)
    world.session.add(
        Registration(
            event_id=world.events["math"].id, student_id=viewer.id, grade=9, created_at=NOW
        )
    )
    await world.session.commit()

    with counted(engine) as statements:
        page = await catalog_page(world.session, viewer, CatalogFilter(), 0, TODAY, "ru")
    assert len(statements) == 1, statements
    assert page.total == 5 and any(item.own_state for item in page.items)

    with counted(engine) as statements:
        card = await event_card(
            world.session,
            viewer,
            viewer,
            world.events["math"].id,
            NOW,
            RULES,
            locale="ru",
            zone="Asia/Sakhalin",
        )
    assert len(statements) == 1, statements
    assert card.registered_count == STUDENTS + 1 and card.own is not None

    with counted(engine) as statements:
        mine = await status_page(world.session, viewer, NOW, "ru")
    assert len(statements) == 1, statements
    assert mine.total == 1

    student = (await world.session.scalars(select(User).where(User.full_name == "S7"))).one()
    with counted(engine) as statements:
        theirs = await status_page(world.session, student, NOW, "ru", page=0)
    assert len(statements) == 1, statements
    assert theirs.total == len(world.events) and theirs.pages == 1
