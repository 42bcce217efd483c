"""/results in the chat: a curator scores the school's students, the organiser publishes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from models.audit import AuditEntry
from models.enums import EventStatus, Level
from models.geo import School
from models.olympiad import OlympiadEvent
from tests.support.chat import ChatDriver
from tests.support.results_chat import (
    add_parent,
    add_student,
    event_id,
    extra_routers,
    register,
    score_of,
    set_score,
)
from tests.support.staff_chat import (
    DATA_ROLES,
    ROLES,
    Places,
    outbox_texts,
    person_as,
    places,
    press,
    refused,
)
from ui.callbacks.results import ResAct, ResCb

__all__ = ["extra_routers"]
DATA = Path(__file__).parent.parent / "data" / "results"


async def history_class(app: App, where: Places) -> dict[str, int]:
    """The demo's school-stage history (max 100, being summed up): two students of school 1,
    one of the gymnasium next door."""
    async with app.sessionmaker() as session:
        gym = await session.scalar(select(School.id).where(School.code == "gym1"))
    assert gym is not None
    history = await event_id(app, "history", Level.SCHOOL)
    found = {"event": history}
    for key, name, school, grade, tg in (
        ("ivanov", "Иванов Иван Петрович", where.school, 9, 7001),
        ("petrova", "Петрова Анна", where.school, 10, 7002),
        ("sidorov", "Сидоров Пётр", gym, 9, 7003),
    ):
        found[key] = await add_student(app, name, school, grade, tg)
        found[f"reg_{key}"] = await register(app, history, found[key], grade)
    return found


async def test_curator_scores_own_students_one_by_one_and_by_lines(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    ids = await history_class(app, where)
    chat, _ = await person_as(app, make_chat, "curator", where)
    reply = await chat.send("/results")
    assert "Выберите мероприятие" in reply.text
    reply = await chat.click("История")
    assert "Баллы по вашей школе внесены: 0 из 2" in reply.text
    assert "Опубликовать результаты" not in reply.buttons  # the organiser publishes
    reply = await chat.click("Участники (2)")
    assert "Иванов Иван Петрович" in reply.text and "Сидоров" not in reply.text
    reply = await chat.click("Иванов Иван")
    assert "Пришлите балл" in reply.text
    reply = await chat.send("37,5")
    assert "37,5" in reply.text
    assert await score_of(app, ids["reg_ivanov"]) == 37.5

    await chat.click("Петрова Анна")
    reply = await chat.send("150")
    assert reply.text == "150 больше максимального балла 100."
    assert await score_of(app, ids["reg_petrova"]) is None

    await chat.click("« К участникам")
    await chat.click("« К мероприятию")
    reply = await chat.send("Петрова Анна — 12\nСидоров Пётр — 20\nИванов — 5")
    assert reply.text.startswith("Сохранено: 1. Не сохранено: 2.")
    assert "строка 2 (Сидоров Пётр): Не нашёл «Сидоров Пётр» среди участников" in reply.text
    assert "строка 3: «Иванов»: укажите фамилию и имя." in reply.text
    assert await score_of(app, ids["reg_petrova"]) == 12
    assert await score_of(app, ids["reg_sidorov"]) is None


async def test_curator_uploads_a_file_and_gets_a_report(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    ids = await history_class(app, where)
    chat, _ = await person_as(app, make_chat, "curator", where)
    await chat.send("/results")
    await chat.click("История")
    reply = await chat.upload("history.csv", (DATA / "history_results.csv").read_bytes())
    [report] = reply.documents
    assert report.file_name == "history-report.csv"
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[1] == ["2", "Иванов Иван Петрович", "37,5",
                        "сохранено, статус оставлен организатору"]  # fmt: skip
    assert lines[5][1].startswith("'=HYPERLINK")  # a typed formula stays text
    assert "Сохранено: 2. Не сохранено: 3." in reply.text
    assert await score_of(app, ids["reg_ivanov"]) == 37.5
    reply = await chat.upload("history.pdf", b"%PDF-1.4")
    assert reply.text and "Сохранено" not in reply.text
    async with app.sessionmaker() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert actions == ["results_upload"]


async def test_organiser_sets_the_passing_score_places_and_publishes(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    ids = await history_class(app, where)
    parent = await add_parent(app, ids["ivanov"], 7010)
    chat, _ = await person_as(app, make_chat, "municipal", where)
    await chat.send("/results")
    reply = await chat.click("История")
    assert "Баллы внесены: 0 из 3" in reply.text
    assert "Пришлите строки" not in reply.text  # curators enter school-stage scores
    reply = await chat.send("Иванов Иван — 10")
    assert refused(reply)
    await set_score(app, ids["reg_ivanov"], 80)  # as the curators entered them
    await set_score(app, ids["reg_petrova"], 40)
    await chat.send("/results")
    await chat.click("История")
    await chat.click("Задать проходной балл")
    reply = await chat.send("50; 10: 45")
    assert "Проходной балл на следующий этап: 50; 10 класс: 45" in reply.text
    reply = await chat.click("Победители и призёры по правилу")
    assert "По правилу: победителей 1, призёров 0, участников 1." in reply.text
    reply = await chat.click("Опубликовать результаты")
    assert "Каждый из участников с баллом (2)" in reply.text
    reply = await chat.click("Да, опубликовать")
    assert "Опубликовано результатов: 2; сообщений в очереди: 3." in reply.text
    ivanov = await outbox_texts(app, ids["ivanov"])
    assert len(ivanov) == 1 and "80" in ivanov[0] and "победитель" in ivanov[0]
    assert "40" not in ivanov[0]
    petrova = await outbox_texts(app, ids["petrova"])
    assert len(petrova) == 1 and "40" in petrova[0] and "80" not in petrova[0]
    [to_parent] = await outbox_texts(app, parent)
    assert "Иванов Иван Петрович" in to_parent and "Петрова" not in to_parent
    assert await outbox_texts(app, ids["sidorov"]) == []  # absent: no score, no message
    await chat.click("« Все мероприятия")
    reply = await chat.click("История")
    assert "Результаты опубликованы 6 октября 2026" in reply.text
    assert "Опубликовать результаты" not in reply.buttons


@pytest.mark.parametrize("role", ROLES)
async def test_who_may_open_results(
    app: App, make_chat: Callable[..., ChatDriver], role: str
) -> None:
    where = await places(app)
    await history_class(app, where)
    chat, _ = await person_as(app, make_chat, role, where)
    reply = await chat.send("/results")
    if role in ("none", "student", "parent", *DATA_ROLES):
        assert refused(reply)
        return
    assert not refused(reply)
    sees_history = any("История" in b for b in reply.buttons)
    assert sees_history == (role in ("curator", "municipal", "admin"))


async def tomsk_event(app: App, where: Places) -> int:
    """A school-stage event of another region's municipality, being summed up."""
    history = await event_id(app, "history", Level.SCHOOL)
    async with app.sessionmaker() as session, session.begin():
        source = await session.get(OlympiadEvent, history)
        assert source is not None
        event = OlympiadEvent(
            subject_id=source.subject_id, level=Level.SCHOOL, region_id=where.other_region,
            municipality_id=where.other_municipality, scope_key=f"m{where.other_municipality}",
            school_year=source.school_year, held_on=source.held_on, grade_min=5, grade_max=11,
            status=EventStatus.SUMMARIZING, max_score=50, created_at=app.clock.now(),
            updated_at=app.clock.now(),
        )  # fmt: skip
        session.add(event)
        await session.flush()
        return event.id


@pytest.mark.parametrize("role", ROLES)
async def test_nobody_reaches_an_event_outside_their_scope(
    app: App, make_chat: Callable[..., ChatDriver], role: str
) -> None:
    """A stale or tampered button naming another region's event is refused (admins aside)."""
    where = await places(app)
    far = await tomsk_event(app, where)
    reg = await register(
        app, far, await add_student(app, "Томский Тимур", where.other_school, 9), 9
    )
    chat, _ = await person_as(app, make_chat, role, where)
    for data in (
        ResCb(act=ResAct.EVENT, event_id=far).pack(),
        ResCb(act=ResAct.PERSON, event_id=far, reg_id=reg).pack(),
        ResCb(act=ResAct.CONFIRM, event_id=far).pack(),
    ):
        reply = await press(app, chat, data)
        assert refused(reply) == (role != "admin"), (role, data, reply.alert, reply.text)
    async with app.sessionmaker() as session:
        event = await session.get(OlympiadEvent, far)
        assert event is not None
        assert event.results_published_at is None  # nobody scored: not even an admin publishes


def test_event_list_is_paged() -> None:
    import datetime as dt

    from bot.i18n import build_i18n
    from handlers.keyboards.results import events_kb
    from services.results.cards import EventItem

    events = [EventItem(i, f"Предмет {i}", Level.SCHOOL, dt.date(2026, 10, 1)) for i in range(25)]
    with build_i18n("ru").context():
        first = [b.text for row in events_kb(events).inline_keyboard for b in row]
        last = [b.text for row in events_kb(events, 2).inline_keyboard for b in row]
    assert len(first) == 11 and first[-1] == "▶"
    assert len(last) == 6 and last[-1] == "◀"


def test_callback_data_fits_telegrams_limit() -> None:
    from ui.callbacks.results import AdmAct, AdmCb, ExpCb, ResAct, ResCb

    biggest = 2**31 - 1
    packed = [
        ResCb(act=ResAct.PLACE, event_id=biggest, reg_id=biggest, page=999,
              value="participant").pack(),
        AdmCb(act=AdmAct.TEMPLATE, level="municipal", scope_id=biggest).pack(),
        ExpCb(layout="s").pack(),
    ]  # fmt: skip
    assert all(len(p.encode()) <= 64 for p in packed)
