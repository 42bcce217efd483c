"""Reading the audit log: my scope only, newest first, and the export recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.enums import PersonKind, Role
from services.audit import record as audit
from services.audit import view as audit_view
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope
from tests.support.staff_world import NOW, admin, build_world, person, staff


async def test_each_coordinator_reads_the_log_of_their_scope(session: AsyncSession) -> None:
    world = await build_world(session)
    regional = await staff(session, 1, "Роман", Role.REGIONAL, Scope(world.north))
    municipal = await staff(session, 2, "Мария", Role.MUNICIPAL, world.muni(world.city))
    places = [
        ("region", Scope(world.north)),
        ("city", world.muni(world.city)),
        # Recorded with only the school's id: the reader still finds its municipality.
        ("school1", Scope(school_id=world.school1)),
        ("village", world.muni(world.village)),
        ("port", world.school(world.port_school)),
        ("deployment", Scope()),
    ]
    for minutes, (target, scope) in enumerate(places):
        await audit.record(
            session, regional, "status_change", scope, target, NOW + timedelta(minutes=minutes)
        )

    async def targets(ident: Identity) -> list[str]:
        page = await audit_view.audit_page(session, ident, 0, "ru")
        return [line.target for line in page.items]

    assert await targets(regional) == ["village", "school1", "city", "region"]
    assert await targets(municipal) == ["school1", "city"]
    assert await targets(await admin(session)) == [t for t, _ in reversed(places)]
    for who in (
        await staff(session, 3, "Ксения", Role.CURATOR, world.school(world.school1)),
        Identity(await person(session, 4, "Ученик", PersonKind.STUDENT)),
        Identity(await person(session, 5, "Родитель", PersonKind.PARENT)),
    ):
        with pytest.raises(Refused, match="forbidden"):
            await audit_view.audit_page(session, who, 0, "ru")


async def test_a_line_says_who_what_where_and_what_changed(session: AsyncSession) -> None:
    world = await build_world(session)
    municipal = await staff(session, 2, "Мария Городская", Role.MUNICIPAL, world.muni(world.city))
    await audit.record(
        session,
        municipal,
        "status_change",
        world.school(world.school2),
        "Математика, школьный этап",
        NOW,
        before={"status": "finished", "note": "x"},
        after={"status": "summarizing", "note": "x", "extra": "y" * 200},
        reason="Ошибка в баллах",
        exceptional=True,
    )
    [line] = (await audit_view.audit_page(session, municipal, 0, "ru")).items
    assert (line.actor, line.action, line.place, line.at) == (
        "Мария Городская",
        "status_change",
        "Школа № 2",
        NOW,
    )
    assert [(c.key, c.before, c.after[:3]) for c in line.changes] == [
        ("status", "finished", "sum"),
        ("extra", "", "yyy"),  # first written: no "before" to show
    ]
    assert len(line.changes[1].after) == audit_view.VALUE_CHARS
    assert (line.reason, line.exceptional) == ("Ошибка в баллах", True)


async def test_pages_and_export(session: AsyncSession) -> None:
    world = await build_world(session)
    municipal = await staff(session, 2, "Мария", Role.MUNICIPAL, world.muni(world.city))
    for i in range(11):
        await audit.record(
            session,
            municipal,
            "event_edit",
            world.muni(world.city),
            f"e{i}",
            NOW + timedelta(seconds=i),
        )
    first = await audit_view.audit_page(session, municipal, 0, "ru", size=8)
    second = await audit_view.audit_page(session, municipal, 1, "ru", size=8)
    assert (first.total, first.pages) == (11, 2)
    assert [line.target for line in first.items + second.items] == [
        f"e{i}" for i in range(10, -1, -1)
    ]
    exported = await audit_view.audit_export(session, municipal, NOW + timedelta(hours=1), "ru")
    assert len(exported) == 11
    last = await session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert last is not None
    assert (last.action, last.actor_id, last.municipality_id, last.after) == (
        "audit_export",
        municipal.user.id,
        world.city,
        {"rows": 11},
    )
    curator = await staff(session, 3, "Ксения", Role.CURATOR, world.school(world.school1))
    with pytest.raises(Refused, match="forbidden"):
        await audit_view.audit_export(session, curator, NOW, "ru")


def test_changes_lists_only_what_differs() -> None:
    assert audit_view.changes(None, None) == ()
    assert audit_view.changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == (
        audit_view.Change("b", "2", "3"),
        audit_view.Change("c", "", "—"),
    )
    assert audit_view.changes({"gone": "x"}, None) == (audit_view.Change("gone", "x", "—"),)
