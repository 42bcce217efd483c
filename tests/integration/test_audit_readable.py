"""The audit log in words: targets named, keys and codes translated, on screen and in export."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiogram.utils.i18n import I18n
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import build_i18n
from handlers import audit as audit_handler
from models.enums import Level
from services.audit import record as audit
from services.audit import view as audit_view
from services.scopes import Scope
from services.staff.places import Paged
from services.stage.event_edit import EditField, edit_event
from tests.support.stage_world import NOW, REF, StageWorld, i18n_context, world
from ui.templating import render

__all__ = ["i18n_context", "world"]
ZONE = "Asia/Sakhalin"


async def _commit(session: AsyncSession) -> None:
    if session.in_transaction():
        await session.commit()


async def _status_changes(session: AsyncSession, world: StageWorld) -> int:
    math = await world.event_id(session, "math", Level.SCHOOL)
    await _commit(session)
    async with session.begin():
        for minutes, move in enumerate(("back", "skip", "forward")):
            await audit.record(
                session,
                world.staff["municipal"],
                "status_change",
                Scope(world.region_id, world.ys_id),
                f"event:{math}",
                NOW + timedelta(minutes=minutes),
                before={"status": "summarizing"},
                after={"status": "conducting", "move": move},
            )
    return math


async def _page(session: AsyncSession, world: StageWorld, locale: str = "ru") -> str:
    found = await audit_view.audit_page(session, world.staff["regional"], 0, locale)
    items = tuple(audit_handler.readable(line, ZONE) for line in found.items)
    return render(
        "audit/page.html",
        log=Paged(items, found.page, found.total, found.size),
        tz=ZONE,
        labels=audit_handler._labels(),
        icons=audit_handler.PLACE_ICONS,
        compact=False,
    )


@pytest.mark.usefixtures("i18n_context")
async def test_a_status_change_reads_in_words(session: AsyncSession, world: StageWorld) -> None:
    await _status_changes(session, world)
    text = await _page(session, world)
    assert "Статус изменён · Математика, школьный этап" in text
    assert "Статус: Подведение итогов → Проведение" in text
    assert "Шаг: назад" in text
    assert "Шаг: через шаг" in text
    assert "Шаг: вперёд" in text
    assert "event:" not in text and "status:" not in text and "move:" not in text
    # A municipality is not a school.
    assert "🏙 городской округ «Город Южно-Сахалинск»" in text
    assert "🏫" not in text


async def test_english_readers_read_english(session: AsyncSession, world: StageWorld) -> None:
    await _status_changes(session, world)
    with build_i18n("ru").context() as i18n:
        assert isinstance(i18n, I18n)
        with i18n.use_locale("en"):
            text = await _page(session, world, "en")
    assert "Status changed · Mathematics, school stage" in text
    assert "Status: Summarizing results → Conducting" in text
    assert "Step: backwards" in text


@pytest.mark.usefixtures("i18n_context")
async def test_an_edited_date_shows_old_and_new(session: AsyncSession, world: StageWorld) -> None:
    math = await world.event_id(session, "math", Level.SCHOOL)
    await _commit(session)
    async with session.begin():
        await edit_event(
            session, world.staff["municipal"], math, EditField.DATE, "20.10.2026", ref=REF, now=NOW
        )
    text = await _page(session, world)
    assert "Мероприятие изменено · Математика, школьный этап" in text
    assert "Дата: 17.10.2026 → 20.10.2026" in text


@pytest.mark.usefixtures("i18n_context")
async def test_schools_people_and_gone_rows(session: AsyncSession, world: StageWorld) -> None:
    curator = world.staff["curator"].user.id
    await _commit(session)
    async with session.begin():
        student = await world.person(session, "Аня Петрова", school_id=world.schools[0])
        scope = Scope(world.region_id, world.ys_id, world.schools[0])
        for minutes, (target, after) in enumerate(
            [
                (f"school:{world.schools[0]}", None),
                (f"user:{curator}", None),
                (f"user:{student.id}", None),
                ("event:999999", {"status": "finished"}),
                ("#5 · Школа", {"role": "curator", "expires_at": "2026-10-07T01:00:00+00:00"}),
            ]
        ):
            await audit.record(
                session,
                world.staff["regional"],
                "curator_upload",
                scope,
                target,
                NOW + timedelta(minutes=minutes),
                after=after,
            )
    found = await audit_view.audit_page(session, world.staff["regional"], 0, "ru", size=10)
    lines = [audit_handler.readable(line, ZONE) for line in found.items]
    by_target = {line.target: line for line in lines}
    assert set(by_target) >= {"Staff curator (Школьный куратор)", "Аня Петрова (ученик)"}
    assert "мероприятие № 999999 (удалено)" in by_target  # the event is gone: said so
    assert [(c.key, c.after) for c in by_target["мероприятие № 999999 (удалено)"].changes] == [
        ("Статус", "Завершено")
    ]
    invitation = by_target["Приглашение № 5 · Школа"]
    assert [(c.key, c.after) for c in invitation.changes] == [
        ("Роль", "Школьный куратор"),
        ("Действует до", "7 октября 2026, 12:00"),
    ]
    assert all(line.place_kind == "school" for line in found.items)
    assert not any(t.startswith(("school:", "user:")) for t in by_target)


async def test_names_are_read_once_per_page(session: AsyncSession, world: StageWorld) -> None:
    await _commit(session)
    async with session.begin():
        events = [await world.event_id(session, s, Level.SCHOOL) for s in ("math", "biology")]
        for i in range(6):
            await audit.record(
                session,
                world.staff["municipal"],
                "status_change",
                Scope(world.region_id, world.ys_id),
                f"event:{events[i % 2]}",
                NOW + timedelta(minutes=i),
            )

    async def statements(size: int) -> int:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(str(args[2]))

        engine = session.bind.sync_engine  # type: ignore[union-attr]
        event.listen(engine, "before_cursor_execute", count)
        try:
            page = await audit_view.audit_page(session, world.staff["regional"], 0, "ru", size)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert all(line.named for line in page.items)
        return len(seen)

    assert await statements(2) == await statements(6)


@pytest.mark.usefixtures("i18n_context")
async def test_the_export_has_the_same_words(session: AsyncSession, world: StageWorld) -> None:
    await _status_changes(session, world)
    lines = await audit_view.audit_export(session, world.staff["regional"], NOW, "ru")
    rows = audit_handler._rows(lines, ZONE)
    assert rows[0][4] == "Математика, школьный этап"
    assert rows[0][5] == "Статус: Подведение итогов → Проведение\nШаг: вперёд"
