"""Participant codes in the chat, in the demo's Sakhalin municipality (UTC+11): the organiser
uploads the file, each student gets their own code at 08:00 local time on the stage day (their
parents and their school's curators too), a late registration gets a reserve code, a curator
reissues one; no other chat, no log line and no audit text ever carries a code."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import App
from calendars.clock import FixedClock
from models.audit import AuditEntry
from models.enums import Level, Role
from models.geo import School
from models.olympiad import OlympiadEvent
from models.olympiad_day import CodeState, ParticipantCode
from offline.api_server import FakeBotAPI
from tests.support.chat import ChatDriver
from tests.support.results_chat import add_parent, add_student, event_id, register
from tests.support.staff_chat import grant, person_as, places, press, refused, user_of
from ui.callbacks.olympiad_day import CodeAct, CodeCb

MAIN = ["SAK-MATH-0001", "SAK-MATH-0002", "SAK-MATH-0003"]
RESERVE = ["SAK-RES-0001", "SAK-RES-0002"]
CSV = "Код;Резерв\n" + "".join(f"{c};\n" for c in MAIN) + "".join(f"{c};да\n" for c in RESERVE)


def _chats_that_saw(fake_api: FakeBotAPI, code: str, *, delivered: bool = True) -> set[int | None]:
    """The chats of the requests the bot made that carry `code` (only those Telegram accepted,
    unless `delivered` is False: then every request, refused ones included)."""
    return {
        call.chat_id
        for call in fake_api.calls
        if (call.ok or not delivered)
        and code in json.dumps(call.params, ensure_ascii=False, default=str)
    }


async def _codes(app: App, event: int) -> dict[int, ParticipantCode]:
    async with app.sessionmaker() as session:
        rows = await session.scalars(
            select(ParticipantCode).where(
                ParticipantCode.event_id == event, ParticipantCode.state == CodeState.ASSIGNED
            )
        )
        return {row.student_id: row for row in rows if row.student_id is not None}


async def test_codes_released_at_eight_sakhalin_time_to_their_owners_only(
    app: App, make_chat: Callable[..., ChatDriver], fake_api: FakeBotAPI, clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    # What a deployment logs (INFO), and everything the project's own packages say (DEBUG).
    caplog.set_level(logging.INFO)
    for package in ("bot", "handlers", "services", "reminders", "models", "aiogram"):
        caplog.set_level(logging.DEBUG, logger=package)
    where = await places(app)
    math = await event_id(app, "math", Level.SCHOOL)
    async with app.sessionmaker() as session:
        gym = await session.scalar(select(School.id).where(School.code == "gym1"))
        held_on = (await session.get(OlympiadEvent, math)).held_on  # type: ignore[union-attr]
    assert gym is not None
    anna = await add_student(app, "Аннина Анна", where.school, 9, 7101)
    boris = await add_student(app, "Борисов Борис", where.school, 8, 7102)
    vera = await add_student(app, "Верина Вера", gym, 10, 7103)
    for student, grade in ((anna, 9), (boris, 8), (vera, 10)):
        await register(app, math, student, grade)
    await add_parent(app, anna, 7201)
    for tg_id in (7101, 7102, 7103, 7201):  # their chats with the bot exist
        await make_chat(tg_id).send("/help")
    organiser, _ = await person_as(app, make_chat, "municipal", where)
    curator, _ = await person_as(app, make_chat, "curator", where)
    gym_curator = make_chat(7301, first_name="Гимн", last_name="Куратор")
    await grant(app, 7301, Role.CURATOR, region_id=where.region,
                municipality_id=where.municipality, school_id=gym)  # fmt: skip
    bystander, _ = await person_as(app, make_chat, "student", where)  # registers late, below

    # The organiser uploads the file; nothing about it is half-saved when a row is wrong.
    await organiser.send("/codes")
    reply = await organiser.click("Математика · школьный этап")
    assert "Зарегистрировано: 3; без кода: 3." in reply.text
    bad = await organiser.upload("codes.csv", (CSV + "SAK MATH;\nSAK-RES-0001;да\n").encode())
    assert "Файл не сохранён" in bad.text
    assert "Строка 7: в коде пробелы" in bad.text and "Строка 8: такой код уже есть" in bad.text
    assert await _codes(app, math) == {}
    done = await organiser.upload("codes.csv", CSV.encode())
    assert "Коды сохранены: основных 3, резервных 2." in done.text
    assert "Выдано ученикам: 3." in done.text
    codes = await _codes(app, math)
    assert {codes[s].code for s in (anna, boris, vera)} == set(MAIN)
    eight = datetime.combine(held_on, time(8, 0), ZoneInfo("Asia/Sakhalin"))
    assert all(c.release_at == eight.astimezone(UTC) for c in codes.values())
    assert eight.astimezone(UTC).hour == 21  # 08:00 in Yuzhno-Sakhalinsk is 21:00 UTC

    # A student registering after the codes were given out gets a reserve code.
    await bystander.send("/events")
    await bystander.click("Математика · школьный этап")
    reply = await bystander.click("Записаться")
    assert "записаны" in reply.text.lower()
    late = (await user_of(app, bystander.user_id)).id
    codes = await _codes(app, math)
    assert codes[late].reserve and codes[late].code == RESERVE[0]

    # Before 08:00 local the card says when, and the outbox keeps the codes back.
    await bystander.send("/my")
    reply = await bystander.click("Математика")
    assert "Код участника появится здесь" in reply.text and RESERVE[0] not in reply.text
    clock.set(eight - timedelta(minutes=1))
    await app.deliver_due()
    assert all(not _chats_that_saw(fake_api, c) for c in [*MAIN, RESERVE[0]])

    clock.set(eight)
    assert await app.deliver_due() >= 5
    ids = {"anna": 7101, "boris": 7102, "vera": 7103, "parent": 7201}
    assert _chats_that_saw(fake_api, codes[anna].code) == {ids["anna"], ids["parent"],
                                                           curator.user_id}  # fmt: skip
    assert _chats_that_saw(fake_api, codes[boris].code) == {ids["boris"], curator.user_id}
    assert _chats_that_saw(fake_api, codes[vera].code) == {ids["vera"], gym_curator.user_id}
    assert _chats_that_saw(fake_api, RESERVE[0]) == {bystander.user_id, curator.user_id}

    # From 08:00 the card shows the code, and the audit records the showing by row id.
    await bystander.send("/my")
    reply = await bystander.click("Математика")
    assert f"Код участника: {RESERVE[0]}" in reply.text

    # The curator reissues Anna's code: the old one is void, a reserve one replaces it.
    await curator.send("/codes")
    reply = await curator.click("Математика · школьный этап")
    assert codes[anna].code in reply.text and codes[vera].code not in reply.text
    await curator.click("Перевыпустить: Аннина")
    reply = await curator.click("🔁 Перевыпустить")
    assert "Код перевыпущен" in reply.text
    clock.set(eight + timedelta(minutes=5))
    assert await app.deliver_due() == 3
    new = (await _codes(app, math))[anna]
    assert new.code == RESERVE[1] and new.id != codes[anna].id
    async with app.sessionmaker() as session:
        old = await session.get(ParticipantCode, codes[anna].id)
        assert old is not None and old.state == CodeState.VOID
    assert _chats_that_saw(fake_api, RESERVE[1]) == {ids["anna"], ids["parent"], curator.user_id}

    # Every request the server got, refused ones too: each code went to its owners only.
    owners = {
        codes[anna].code: {ids["anna"], ids["parent"], curator.user_id},
        codes[boris].code: {ids["boris"], curator.user_id},
        codes[vera].code: {ids["vera"], gym_curator.user_id},
        RESERVE[0]: {bystander.user_id, curator.user_id},
        RESERVE[1]: {ids["anna"], ids["parent"], curator.user_id},
    }
    for code, chats in owners.items():
        assert _chats_that_saw(fake_api, code, delivered=False) == chats, code
    every = [*MAIN, *RESERVE]

    # No code in any log line or audit entry; the audit names rows.
    logged = "\n".join(
        f"{r.getMessage()} {json.dumps(r.__dict__, ensure_ascii=False, default=str)}"
        for r in caplog.records
    )
    async with app.sessionmaker() as session:
        entries = (await session.scalars(select(AuditEntry))).all()
    audited = json.dumps(
        [[e.action, e.target, e.before, e.after, e.reason] for e in entries],
        ensure_ascii=False, default=str,
    )  # fmt: skip
    assert caplog.records and entries
    assert not [c for c in every if c in logged or c in audited]
    shown = [e for e in entries if e.action == "code_shown"]
    assert shown and shown[-1].target == f"code:{codes[late].id}"
    assert {"code_reissued", "codes_uploaded", "codes_list_shown"} <= {e.action for e in entries}


async def test_only_the_organiser_uploads_codes(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    math = await event_id(app, "math", Level.SCHOOL)
    curator, _ = await person_as(app, make_chat, "curator", where)
    reply = await press(app, curator, CodeCb(act=CodeAct.EVENT, ev=math).pack())
    reply = await curator.upload("codes.csv", CSV.encode())
    assert refused(reply)
    student, _ = await person_as(app, make_chat, "student", where)
    reply = await press(app, student, CodeCb(act=CodeAct.EVENT, ev=math).pack())
    assert refused(reply)
    assert await _codes(app, math) == {}
