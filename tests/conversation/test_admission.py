"""/admit in the chat: the municipal list from the school stage, with last year's winners."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from models.enums import Level, RegistrationState
from models.geo import School
from models.olympiad import OlympiadEvent, Registration
from tests.support.chat import ChatDriver
from tests.support.results_chat import (
    add_parent,
    add_student,
    event_id,
    extra_routers,
    register,
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
    user_of,
)
from ui.callbacks.results import AdmAct, AdmCb

__all__ = ["extra_routers"]
AWARDS = Path(__file__).parent.parent / "data" / "results" / "last_year_awards.csv"


async def school_stage(app: App, where: Places) -> dict[str, int]:
    """School-stage math of the demo municipality summed up with passing score 14 (and 16 in
    grade 10); history scored but without a municipal event."""
    math = await event_id(app, "math", Level.SCHOOL)
    history = await event_id(app, "history", Level.SCHOOL)
    async with app.sessionmaker() as session, session.begin():
        event = await session.get(OlympiadEvent, math)
        assert event is not None
        event.passing_score, event.passing_scores = 14, {"10": 16}
        past = await session.get(OlympiadEvent, history)
        assert past is not None
        past.passing_score = 30
        gym = await session.scalar(select(School.id).where(School.code == "gym1"))
    assert gym is not None
    ids = {"target": await event_id(app, "math", Level.MUNICIPAL)}
    for key, name, school, grade, score, tg in (
        ("anna", "Аннина Анна", where.school, 9, 20, 7101),
        ("boris", "Борисов Борис", where.school, 8, 13, 7102),
        ("vera", "Верина Вера", gym, 10, 16, 7103),
        ("fedor", "Фомин Фёдор", where.school, 10, None, 7104),
    ):
        ids[key] = await add_student(app, name, school, grade, tg)
        if score is not None:
            await register(app, math, ids[key], grade, score)
    await register(app, history, ids["anna"], 9, 35)
    ids["parent"] = await add_parent(app, ids["anna"], 7110)
    return ids


async def admitted(app: App, event: int) -> set[int]:
    async with app.sessionmaker() as session:
        rows = await session.scalars(
            select(Registration.student_id).where(
                Registration.event_id == event, Registration.state == RegistrationState.ADMITTED
            )
        )
        return set(rows)


async def test_municipal_list_preview_winners_file_and_commit(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await places(app)
    ids = await school_stage(app, where)
    curator_chat, _ = await person_as(app, make_chat, "curator", where)
    chat, _ = await person_as(app, make_chat, "municipal", where)
    reply = await chat.send("/admit")
    assert "Допущено: 2, из них новых: 2" in reply.text
    assert "Математика: 9 класс — 1, 10 класс — 1" in reply.text
    assert "✅ Верина Вера, Математика, 10 класс: 16 / 16" in reply.text
    assert "✖️ Борисов Борис, Математика, 8 класс: 13 / 14" in reply.text
    assert "Нет мероприятия следующего этапа по предметам: История" in reply.text
    assert await admitted(app, ids["target"]) == set()  # a preview registers nobody

    await chat.click("Загрузить победителей прошлого года")
    reply = await chat.upload("winners.csv", AWARDS.read_bytes())
    assert "добавлено 1, уже были 0, не сопоставлено 5" in reply.texts[0]
    assert "Допущено: 3, из них новых: 3 (как победители и призёры прошлого года: 1)" in reply.text

    reply = await chat.click("Допустить (3)")
    assert "Допущено новых участников: 3 (уже были в списке: 0)" in reply.text
    assert await admitted(app, ids["target"]) == {ids["anna"], ids["vera"], ids["fedor"]}
    [to_anna] = await outbox_texts(app, ids["anna"])
    assert "муниципальный этап" in to_anna and "Математика" in to_anna
    [to_parent] = await outbox_texts(app, ids["parent"])
    assert "Аннина Анна" in to_parent
    curator = await user_of(app, curator_chat.user_id)
    [to_curator] = await outbox_texts(app, curator.id)
    assert "Аннина Анна" in to_curator and "Фомин Фёдор" in to_curator
    assert "Верина" not in to_curator  # another school's student
    assert await outbox_texts(app, ids["boris"]) == []

    reply = await chat.click("Обновить")
    assert "Допущено: 3, из них новых: 0" in reply.text
    assert not any(b.startswith("Допустить") for b in reply.buttons)


@pytest.mark.parametrize("role", ROLES)
async def test_who_may_form_a_list(
    app: App, make_chat: Callable[..., ChatDriver], role: str
) -> None:
    where = await places(app)
    ids = await school_stage(app, where)
    chat, _ = await person_as(app, make_chat, role, where)
    reply = await chat.send("/admit")
    if role in ("none", "student", "parent", "curator", *DATA_ROLES):
        assert refused(reply)
    elif role == "admin":
        assert "формируют муниципальные и региональные координаторы" in reply.text
    else:
        level = "муниципальный" if role == "municipal" else "региональный"
        assert f"Участники: {level} этап" in reply.text
    assert await admitted(app, ids["target"]) == set()


@pytest.mark.parametrize("role", ROLES)
async def test_nobody_forms_another_municipalitys_list(
    app: App, make_chat: Callable[..., ChatDriver], role: str
) -> None:
    """A tampered button naming another region's municipality registers nobody."""
    where = await places(app)
    ids = await school_stage(app, where)
    chat, _ = await person_as(app, make_chat, role, where)
    data = AdmCb(act=AdmAct.COMMIT, level="municipal", scope_id=where.other_municipality)
    reply = await press(app, chat, data.pack())
    if role in ("none", "student", "parent", "curator", *DATA_ROLES):
        assert refused(reply)
    else:
        assert reply.text or reply.alert
        assert "Допущено новых" not in reply.text
    assert await admitted(app, ids["target"]) == set()
