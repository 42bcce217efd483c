"""/school: a curator sees the school's students, ticks them for an olympiad, sees the overview."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from models.outbox import Outbox
from tests.support.chat import ChatDriver, forged_click
from tests.support.curator_chat import (
    add_students,
    curator_of,
    db_counts,
    extra_routers,
    registered,
    schools,
)
from ui.callbacks.curator import CurAct, CurCb

__all__ = ["extra_routers"]


async def test_curator_registers_ticked_students_ru(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 801, where.a)
    anna, boris, _vera = await add_students(
        app, where.a, 7, ["Петрова Анна", "Борисов Борис", "Волкова Вера"], [3001, None, None]
    )
    chat = make_chat(801)
    reply = await chat.send("/school")
    assert reply.text.startswith("🏫 МАОУ СОШ № 1 г. Южно-Сахалинска")
    assert "Боту известно 3 ученика, с Telegram: 1." in reply.text
    assert reply.buttons[:2] == ["7 класс · 3", "Записать на олимпиаду"]
    reply = await chat.click("Записать на олимпиаду")
    assert "• Математика · 17 октября · до 12 октября, 23:59" in reply.text
    assert "Английский язык" not in reply.text  # registration closed: not offered
    reply = await chat.click("Математика · 17 окт. · 0")
    assert "⏳ Запись до 12 октября, 23:59" in reply.text
    assert reply.buttons == ["7 класс · 0/3", "« Олимпиады"]
    reply = await chat.click("7 класс · 0/3")
    assert reply.buttons[:3] == ["⬜ Борисов Борис", "⬜ Волкова Вера", "⬜ Петрова Анна"]
    await chat.click("⬜ Борисов Борис")
    reply = await chat.click("⬜ Петрова Анна")
    assert "Отмечено 2 ученика." in reply.text
    reply = await chat.click("Записать отмеченных (2)")
    assert reply.text.startswith("Записать 2 учеников на эту олимпиаду?")
    assert "• Борисов Борис\n• Петрова Анна" in reply.text
    reply = await chat.click("Да, записать")
    assert "✅ Записано: 2" in reply.text
    assert await registered(app, where.math) == ["Борисов Борис", "Петрова Анна"]
    async with app.sessionmaker() as session:
        told = (await session.scalars(select(Outbox.user_id).where(Outbox.user_id == anna))).all()
    assert told, "the student with Telegram is told through the outbox"
    # Ticking again shows who is in; a repeated "register" finds nothing chosen.
    await chat.click("« Школа")
    await chat.click("Записать на олимпиаду")
    await chat.click("Математика · 17 окт. · 2")
    reply = await chat.click("7 класс · 2/3")
    assert reply.buttons[:3] == ["✅ Борисов Борис", "⬜ Волкова Вера", "✅ Петрова Анна"]
    reply = await forged_click(
        chat, CurCb(act=CurAct.REGISTER, school=where.a, event=where.math).pack()
    )
    assert reply.alert == "Сначала отметьте хотя бы одного ученика."
    assert boris


async def test_curator_screens_in_english(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    where = await schools(app)
    await curator_of(app, 802, where.a)
    await add_students(app, where.a, 9, ["Lee Ann", "Smirnov Ivan"], [3002, None])
    chat = make_chat(802, language_code="en")
    reply = await chat.send("/school")
    assert "2 students known to the bot, with Telegram: 1." in reply.text
    reply = await chat.click("Grade 9 · 2")
    assert "Grade 9 · 2 students" in reply.text
    assert reply.buttons == ["📱 Lee Ann", "Smirnov Ivan", "« School"]
    reply = await chat.click("Smirnov Ivan")
    assert "No Telegram account yet" in reply.text
    reply = await chat.click("Give a claim code")
    assert "Claim code for Smirnov Ivan:" in reply.text
    assert "https://t.me/olymp_offline_bot?start=claim_" in reply.text
    await chat.click("« Grade 9")
    await chat.click("« School")
    reply = await chat.click("Overview by subject")
    assert (
        "⚠️ Mathematics · 17 Oct — nobody yet, registration until 12 October, 23:59" in reply.text
    )
    assert "▫️ English · 8 Oct — nobody" in reply.text
    assert "5 subjects have nobody registered while registration is open." in reply.text


async def test_not_a_curator_is_told(make_chat: Callable[..., ChatDriver]) -> None:
    chat = make_chat(803)
    reply = await chat.send("/school")
    assert reply.text == "Это раздел для школьных кураторов. Пригласить вас может координатор."


async def test_forged_callbacks_with_another_schools_ids_are_refused(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 804, where.a)
    [foreign] = await add_students(app, where.b, 7, ["Чужой Ученик"])
    chat = make_chat(804)
    await chat.send("/school")
    before = await db_counts(app)
    forged = [
        CurCb(act=CurAct.HOME, school=where.b),
        CurCb(act=CurAct.GRADE, school=where.b, grade=7),
        CurCb(act=CurAct.STUDENT, school=where.b, student=foreign),
        CurCb(act=CurAct.CODE, school=where.b, student=foreign),
        CurCb(act=CurAct.OVERVIEW, school=where.b),
        CurCb(act=CurAct.EVENT, school=where.b, event=where.math),
        CurCb(act=CurAct.TICK_ALL, school=where.b, event=where.math, grade=7),
        CurCb(act=CurAct.UPLOAD, school=where.b),
    ]
    for data in forged:
        reply = await forged_click(chat, data.pack())
        assert reply.alert == "У вас нет прав на это действие.", (data, reply.alert)
        assert "Чужой" not in reply.text
    # Own school in the button, another school's student in it.
    for data in (
        CurCb(act=CurAct.STUDENT, school=where.a, student=foreign),
        CurCb(act=CurAct.CODE, school=where.a, student=foreign),
    ):
        reply = await forged_click(chat, data.pack())
        assert reply.alert in {
            "Этого ученика больше нет в списке школы.",
            "У вас нет прав на это действие.",
        }
    assert await db_counts(app) == before
