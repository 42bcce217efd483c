"""Wording: agreement, capitals mid-sentence, labelled grade bands, one English name for a
stage, readable language and zone in /mydata, and a parent's own /help."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator

import pytest
from sqlalchemy import select

from bot.app import App
from bot.i18n import build_i18n
from handlers.keyboards.catalog import LEVEL_LABELS
from handlers.refusals import reason_text
from models.enums import Level, PersonKind, Role
from models.geo import Municipality, School
from models.olympiad import OlympiadEvent, Subject
from models.people import User
from services.errors import Refused
from services.stage.event_edit import dates_text
from tests.support.chat import ChatDriver
from ui.callbacks.catalog import LevelF
from ui.templating import environment


@pytest.fixture
def russian() -> Iterator[None]:
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        yield


async def _person(app: App, tg_id: int, kind: PersonKind, grade: int | None) -> None:
    async with app.sessionmaker() as session, session.begin():
        school_id = await session.scalar(select(School.id).where(School.code == "sosh1"))
        onboarded = app.clock.now() if grade is not None else None
        session.add(
            User(
                tg_id=tg_id,
                full_name="Ольга",
                kind=kind,
                school_id=school_id if grade is not None else None,
                grade=grade,
                locale="ru",
                created_at=app.clock.now(),
                onboarded_at=onboarded,
            )
        )


def test_first_grade_band_is_labelled_too() -> None:
    grade_dates = {str(g): "2026-12-24" for g in range(7, 12)}
    text = dates_text(dt.date(2026, 12, 23), grade_dates, 5, 11)
    assert text == "5–6: 23.12.2026; 7–11: 24.12.2026"
    assert dates_text(dt.date(2026, 12, 23), None, 5, 11) == "23.12.2026"


@pytest.mark.usefixtures("russian")
def test_unknown_participant_reads_as_a_sentence() -> None:
    text = reason_text(Refused("res_person_not_found", name="Неизвестный Кто"))
    assert text == "Не нашёл «Неизвестный Кто» среди участников, которым вы вносите результаты."


def test_english_says_school_stage() -> None:
    i18n = build_i18n("ru")
    names = environment().from_string(
        '{% import "catalog/_names.html" as n %}{{ n.stage_short("school") }}'
    )
    with i18n.context(), i18n.use_locale("en"):
        assert str(LEVEL_LABELS[LevelF.SCHOOL]) == "school stage"
        assert names.render() == "school stage"


async def test_digest_off_agrees(app: App, make_chat: Callable[..., ChatDriver]) -> None:
    await _person(app, 2601, PersonKind.STUDENT, 7)
    reply = await make_chat(2601).send("/reminders")
    assert "Ежедневная сводка: выключена" in reply.text


async def test_mydata_names_language_and_zone(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await _person(app, 2602, PersonKind.STUDENT, 7)
    reply = await make_chat(2602).send("/mydata")
    assert "Язык: Русский · часовой пояс: Сахалин (UTC+11)" in reply.text


async def test_parent_help_speaks_of_the_child(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    await _person(app, 2603, PersonKind.PARENT, None)
    reply = await make_chat(2603).send("/help")
    assert "выберите школу и класс ребёнка" in reply.text
    assert "/start — Выбрать школу и класс ребёнка" in reply.text


async def test_status_change_names_the_stage_in_lower_case(
    app: App,
    make_chat: Callable[..., ChatDriver],
    grant_role: Callable[..., Awaitable[User]],
) -> None:
    async with app.sessionmaker() as session:
        municipality = await session.scalar(select(Municipality.id))
        russian = await session.scalar(
            select(OlympiadEvent.id)
            .join(Subject)
            .where(Subject.code == "russian", OlympiadEvent.level == Level.SCHOOL)
        )
    await grant_role(2604, Role.MUNICIPAL, municipality_id=municipality)
    chat = make_chat(2604)
    await chat.send(f"/event_{russian}")
    reply = await chat.click("→ Проведение")
    assert "Смена статуса: Русский язык, школьный этап" in reply.text
