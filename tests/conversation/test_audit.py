"""/audit: the recent log of my scope on screen, page by page, and as an .xlsx document."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App
from models.audit import AuditEntry
from models.people import User
from services.audit import record as audit
from services.people.identity import Identity
from services.scopes import Scope
from tests.support.chat import ChatDriver
from tests.support.staff_chat import extra_routers, person_as, places

__all__ = ["extra_routers"]
EVIL = '=HYPERLINK("http://example.com","x")'


async def _record(app: App, actor: User, target: str, scope: Scope, **extra: object) -> None:
    async with app.sessionmaker() as session, session.begin():
        found = await session.get(User, actor.id)
        assert found is not None
        at = app.clock.now() - timedelta(minutes=int(str(extra.pop("ago", 0))))
        await audit.record(
            session,
            Identity(found),
            "status_change",
            scope,
            target,
            at,
            **extra,  # type: ignore[arg-type]
        )


async def test_the_log_of_my_scope_and_its_export(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    coordinator, me = await person_as(app, make_chat, "municipal", where)
    assert me is not None
    async with app.sessionmaker() as session, session.begin():
        (await session.get(User, me.id)).full_name = EVIL  # type: ignore[union-attr]
    mine = Scope(where.region, where.municipality, where.school)
    await _record(
        app, me, "Математика, школьный этап", mine, ago=60,
        before={"status": "summarizing"}, after={"status": "registration"},
        reason="Ошибка при вводе", exceptional=True,
    )  # fmt: skip
    await _record(
        app, me, "Томская олимпиада", Scope(where.other_region, where.other_municipality)
    )
    for i in range(7):
        await _record(app, me, f"Событие {i}", Scope(where.region, where.municipality), ago=i)

    reply = await coordinator.send("/audit")
    assert reply.text.startswith("Журнал действий · 8 записей")
    assert "Томская олимпиада" not in reply.text
    # Newest first, in Sakhalin time (10:00 local on 6 October is the test clock).
    assert reply.text.index("Событие 0") < reply.text.index("Событие 1")
    assert "6 окт. 2026, 10:00" in reply.text
    assert "▶" in reply.buttons
    reply = await coordinator.click("▶")
    assert "⚠️ 6 окт. 2026, 09:00" in reply.text
    assert "Статус: Подведение итогов → Регистрация участников" in reply.text
    assert "Причина: Ошибка при вводе" in reply.text
    assert where.school_name in reply.text

    reply = await coordinator.click("📄 Выгрузить .xlsx")
    [document] = reply.documents
    assert document.file_name == "audit-2026-10-06.xlsx"
    sheet = load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Когда (Asia/Sakhalin)", "Кто", "Действие")
    assert len(rows) == 1 + 8
    assert rows[1][1] == EVIL  # text, not a formula
    assert rows[-1][7] == "да"
    async with app.sessionmaker() as session:
        exported = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "audit_export")
        )
    assert exported is not None
    assert exported.after == {"rows": 8}


async def test_a_huge_entry_still_fits_in_one_message(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    coordinator, me = await person_as(app, make_chat, "regional", where)
    assert me is not None
    snapshot = {f"поле {i}": "х" * 300 for i in range(40)}
    for i in range(6):
        await _record(
            app, me, "Т" * 200, Scope(where.region, where.municipality, where.school),
            before=snapshot, after={}, reason="п" * 5000, ago=i,
        )  # fmt: skip
    reply = await coordinator.send("/audit")
    assert reply.text.startswith("Журнал действий · 6 записей")
    assert not reply.errors


async def test_curators_and_students_have_no_audit(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    for role in ("curator", "student", "none"):
        chat, _user = await person_as(app, make_chat, role, where)
        reply = await chat.send("/audit")
        assert reply.text == "У вас нет прав на это действие.", role
