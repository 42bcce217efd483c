"""Last year's winners and prize-winners from a file, matched to known students of the scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.admission import PriorAward
from models.audit import AuditEntry
from models.enums import EventStatus, Level, Placement
from services.admission import lists as admission
from services.admission.imports import import_awards
from services.admission.sources import Target
from services.errors import Refused
from services.scopes import Scope
from tests.support.results_world import NOW, YEAR, World, count, world

__all__ = ["world"]
FILE = Path(__file__).parent.parent / "data" / "results" / "last_year_awards.csv"


@pytest.fixture
async def students(session: AsyncSession, world: World) -> dict[str, int]:
    async with session.begin():
        found = {
            "fomin": await world.person(session, "Фомин Фёдор", world.school2, 10),
            "lebedeva": await world.person(session, "Лебедева Ольга Ивановна", world.school1, 9),
            # a student of another municipality: not matched by the "ys" organiser
            "korneev": await world.person(session, "Корнеев Кирилл", world.school3, 9),
        }
        return {key: user.id for key, user in found.items()}


def ys(world: World) -> Target:
    return Target(Level.MUNICIPAL, Scope(world.region.id, world.ys.id), YEAR)


async def test_rows_matched_stored_and_unmatched_reported(
    session: AsyncSession, world: World, students: dict[str, int]
) -> None:
    async with session.begin():
        outcomes = await import_awards(
            session, world.staff["municipal"], ys(world), ("awards.csv", FILE.read_bytes()), NOW
        )
    assert [(o.number, o.added, o.problem.reason if o.problem else None) for o in outcomes] == [
        (2, True, None),
        (3, True, None),
        (4, False, "adm_person_not_found"),
        (5, False, "res_unknown_subject_row"),
        (6, False, "adm_not_an_award"),
        (7, False, "adm_person_not_found"),
    ]
    awards = (
        await session.execute(
            select(
                PriorAward.student_id,
                PriorAward.placement,
                PriorAward.grade,
                PriorAward.school_year,
                PriorAward.scope_key,
            )
        )
    ).all()
    assert sorted(awards) == sorted(
        [
            (students["fomin"], Placement.WINNER, 9, YEAR - 1, f"m{world.ys.id}"),
            (students["lebedeva"], Placement.PRIZE, 8, YEAR - 1, f"m{world.ys.id}"),
        ]
    )
    await session.rollback()
    async with session.begin():  # the same file again adds nothing
        again = await import_awards(
            session, world.staff["municipal"], ys(world), ("awards.csv", FILE.read_bytes()), NOW
        )
    assert [o.added for o in again] == [False] * 6
    assert await count(session, PriorAward) == 2
    assert await count(session, AuditEntry) == 2


async def test_imported_awards_are_admitted(
    session: AsyncSession, world: World, students: dict[str, int]
) -> None:
    async with session.begin():
        await world.event(
            session,
            "m_math",
            "math",
            Level.MUNICIPAL,
            municipality=world.ys,
            status=EventStatus.REGISTRATION,
            grades=(7, 11),
        )
        await import_awards(
            session, world.staff["municipal"], ys(world), ("awards.csv", FILE.read_bytes()), NOW
        )
        preview = await admission.preview(session, world.staff["municipal"], ys(world), "ru")
    assert sorted((a.found.person.name, a.found.candidate.grade) for a in preview.admits) == [
        ("Лебедева Ольга Ивановна", 9),
        ("Фомин Фёдор", 10),
    ]
    assert preview.awards == 2


async def test_only_the_organiser_imports(
    session: AsyncSession, world: World, students: dict[str, int]
) -> None:
    with pytest.raises(Refused, match="forbidden"):
        async with session.begin():
            await import_awards(
                session, world.staff["municipal_kor"], ys(world), ("a.csv", FILE.read_bytes()), NOW
            )
    assert await count(session, PriorAward) == 0
