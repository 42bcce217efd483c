"""Appeals in the chat: a participant sees «Подать апелляцию до … (местное время)» on their
result, files one step by step, the organiser changes the score and the next-stage list follows;
after the window closes the results are final and filing is refused; nobody sees another's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App
from calendars.clock import FixedClock
from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent
from models.olympiad_day import Appeal, AppealState
from tests.support.chat import ChatDriver
from tests.support.results_chat import add_parent, add_student, event_id, register, score_of
from tests.support.staff_chat import Places, person_as, places, press, refused
from ui.callbacks.olympiad_day import ApAct, ApCb

REASON = "Решение третьей задачи верное, балл снижен только за оформление."


async def _published(app: App, where: Places) -> dict[str, int]:
    """School-stage math of the demo municipality, max 50 and passing 14, published now."""
    math = await event_id(app, "math", Level.SCHOOL)
    async with app.sessionmaker() as session, session.begin():
        event = await session.get(OlympiadEvent, math)
        assert event is not None
        event.status, event.max_score, event.passing_score = EventStatus.SUMMARIZING, 50, 14
        event.results_published_at = app.clock.now()
    ids = {"event": math}
    for key, name, grade, score, tg in (("anna", "Аннина Анна", 9, 13, 7101),
                                        ("boris", "Борисов Борис", 9, 20, 7102)):  # fmt: skip
        ids[key] = await add_student(app, name, where.school, grade, tg)
        ids[f"reg_{key}"] = await register(app, math, ids[key], grade, score)
    ids["parent"] = await add_parent(app, ids["anna"], 7201)
    return ids


async def _appeals(app: App) -> list[Appeal]:
    async with app.sessionmaker() as session:
        return list((await session.scalars(select(Appeal).order_by(Appeal.id))).all())


async def test_appeal_filed_answered_and_reflected_in_the_next_stage_list(
    app: App, make_chat: Callable[..., ChatDriver], clock: FixedClock
) -> None:
    where = await places(app)
    ids = await _published(app, where)
    anna, boris, parent = make_chat(7101), make_chat(7102), make_chat(7201)
    organiser, _ = await person_as(app, make_chat, "municipal", where)

    reply = await organiser.send("/admit")
    assert "Допущено: 1, из них новых: 1" in reply.text
    assert "✖️ Аннина Анна, Математика, 9 класс: 13 / 14" in reply.text
    assert (
        "Список предварительный: ещё принимаются апелляции по предметам: Математика" in reply.text
    )

    reply = await anna.send("/my")
    until = "Подать апелляцию до 9 октября, 10:00 (местное время), осталось 3 дн. 0 ч."
    assert "Результат: 13 из 50" in reply.text and until in reply.text
    reply = await anna.click("Математика")
    # Published 10:00 on 6 October in Yuzhno-Sakhalinsk; the school stage allows 72 hours.
    assert (
        "Подать апелляцию до 9 октября, 10:00 (местное время), осталось 3 дн. 0 ч." in reply.text
    )
    reply = await anna.click("Подать апелляцию")
    assert "По какому заданию апелляция?" in reply.text
    reply = await anna.send("x" * 101)
    assert "до 100 символов" in reply.text  # refused, still asked for the task
    await anna.send("Задача 3")
    reply = await anna.send("коротко")
    assert "от 10 до 1000 символов" in reply.text
    reply = await anna.send(REASON)
    assert "Задание: Задача 3" in reply.text and "Отправить организатору?" in reply.text
    reply = await anna.click("Отправить апелляцию")
    assert "Апелляция подана" in reply.text
    [appeal] = await _appeals(app)
    assert (appeal.task, appeal.state, appeal.old_score) == ("Задача 3", AppealState.FILED, 13)

    # Boris changes his mind half-way: nothing is filed.
    await boris.send("/my")
    await boris.click("Математика")
    await boris.click("Подать апелляцию")
    reply = await boris.click("Отмена")
    assert "Апелляция не подана" in reply.text
    assert len(await _appeals(app)) == 1

    # The organiser answers with a new score, checked against the maximum.
    await organiser.send("/appeals")
    reply = await organiser.click("Математика")
    assert "Аннина Анна, 9 класс — «Задача 3»: ждёт ответа" in reply.text
    await organiser.click("Аннина Анна")
    reply = await organiser.click("Изменить балл")
    assert "от 0 до 50" in reply.text
    reply = await organiser.send("60")
    assert "60" in reply.text and await score_of(app, ids["reg_anna"]) == 13
    reply = await organiser.send("15")
    assert "13 → 15" in reply.text
    assert await score_of(app, ids["reg_anna"]) == 15

    clock.set(clock.now() + timedelta(minutes=1))
    await app.deliver_due()
    assert "Балл изменён: 13 → 15 из 50" in anna.last.text  # type: ignore[union-attr]
    assert "Дан ответ на апелляцию: Аннина Анна" in parent.last.text  # type: ignore[union-attr]

    reply = await organiser.send("/admit")
    assert "Допущено: 2, из них новых: 2" in reply.text and "✖️ Аннина Анна" not in reply.text

    # The window closes: the results are final, the list no longer preliminary, filing refused.
    clock.set(clock.now() + timedelta(hours=72))
    reply = await boris.send("/my")
    assert "Результат: 20 из 50" in reply.text and "Подать апелляцию" not in reply.text
    reply = await boris.click("Математика")
    assert "Приём апелляций закрыт" in reply.text and "результаты окончательные" in reply.text
    assert "Подать апелляцию" not in reply.buttons
    reply = await press(app, boris, ApCb(act=ApAct.FILE, id=ids["reg_boris"]).pack())
    assert "Приём апелляций закрыт." in (reply.alert or reply.text)
    reply = await organiser.send("/admit")
    assert "Список предварительный" not in reply.text


async def test_a_student_cannot_see_or_answer_anothers_appeal(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    ids = await _published(app, await places(app))
    anna, boris = make_chat(7101), make_chat(7102)
    await anna.send("/my")
    await anna.click("Математика")
    await anna.click("Подать апелляцию")
    await anna.send("Задача 1")
    await anna.send(REASON)
    await anna.click("Отправить апелляцию")
    [appeal] = await _appeals(app)

    await boris.send("/my")
    reply = await press(app, boris, ApCb(act=ApAct.FILE, id=ids["reg_anna"]).pack())
    assert "Эта апелляция вам недоступна." in (reply.alert or reply.text)
    for act in (ApAct.OPEN, ApAct.KEEP, ApAct.CHANGE):
        reply = await press(app, boris, ApCb(act=act, id=appeal.id, ev=ids["event"]).pack())
        assert refused(reply), act
    reply = await press(app, boris, ApCb(act=ApAct.EVENT, ev=ids["event"]).pack())
    assert refused(reply) and "Задача 1" not in reply.text
    async with app.sessionmaker() as session:
        state = await session.scalar(select(Appeal.state).where(Appeal.id == appeal.id))
        count = await session.scalar(select(func.count()).select_from(Appeal))
    assert state == AppealState.FILED and count == 1
