"""Editing one event: checked values, the audit trail, the people told, reminders re-planned."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent
from models.outbox import Outbox, OutboxKind, OutboxStatus
from services.errors import Refused
from services.stage.event_edit import EditField, EditOutcome, edit_event
from tests.support.stage_world import (
    NOW,
    REF,
    StageWorld,
    count,
    i18n_context,
    link_parent,
    messages,
    register,
    world,
)

__all__ = ["i18n_context", "world"]
pytestmark = pytest.mark.usefixtures("i18n_context")


async def _edit(
    session: AsyncSession,
    world: StageWorld,
    event_id: int,
    field: EditField,
    raw: str,
    key: str = "municipal",
) -> EditOutcome:
    if session.in_transaction():
        await session.commit()
    async with session.begin():
        return await edit_event(session, world.staff[key], event_id, field, raw, ref=REF, now=NOW)


async def _math_with_people(session: AsyncSession, world: StageWorld) -> tuple[int, list[int]]:
    async with session.begin():
        math = await world.event_id(session, "math", Level.SCHOOL)
        anya = await world.person(session, "Аня", school_id=world.schools[0], tg_id=5001)
        mother = await world.person(session, "Мама", grade=None, tg_id=5003, locale="en")
        await link_parent(session, mother, anya)
        await register(session, math, anya)
    return math, [anya.id, mother.id, world.staff["curator"].user.id]


async def test_new_date_is_told_to_everyone_concerned(
    session: AsyncSession, world: StageWorld
) -> None:
    math, people = await _math_with_people(session, world)
    outcome = await _edit(session, world, math, EditField.DATE, "20.10.2026")
    assert (outcome.before, outcome.after) == ("17.10.2026", "20.10.2026")
    assert outcome.notified == 3
    event = await session.get(OlympiadEvent, math)
    assert event is not None and event.held_on == dt.date(2026, 10, 20)
    sent = await messages(session)
    assert sorted(sent) == sorted(people)
    assert "17.10.2026 → " in sent[people[0]][0] and "20.10.2026" in sent[people[0]][0]
    assert "Mathematics" in sent[people[1]][0]  # the mother reads English
    entry = (await session.scalars(select(AuditEntry))).one()
    assert (entry.action, entry.before, entry.after) == (
        "event_edit",
        {"date": "17.10.2026"},
        {"date": "20.10.2026"},
    )
    stage_day = await session.scalars(
        select(Outbox.step_at).where(
            Outbox.event_id == math,
            Outbox.kind == OutboxKind.REMINDER,
            Outbox.status == OutboxStatus.PENDING,
            Outbox.step == "stage_day",
        )
    )
    assert {at.date() for at in stage_day if at} <= {dt.date(2026, 10, 19), dt.date(2026, 10, 20)}


async def test_per_grade_dates_and_grades(session: AsyncSession, world: StageWorld) -> None:
    informatics = await world.event_id(session, "informatics", Level.SCHOOL)
    outcome = await _edit(
        session, world, informatics, EditField.DATE, "5-8: 21.10.2026; 9-11: 22.10.2026"
    )
    assert outcome.after == "5–8: 21.10.2026; 9–11: 22.10.2026"
    outcome = await _edit(session, world, informatics, EditField.GRADES, "7-11")
    assert (outcome.before, outcome.after) == ("5–11", "7–11")
    event = await session.get(OlympiadEvent, informatics)
    assert event is not None and event.grade_dates == {str(g): "2026-10-22" for g in (9, 10, 11)}


@pytest.mark.parametrize(
    ("field", "raw", "reason"),
    [
        (EditField.DATE, "01.10.2027", "stage_date_outside_year"),
        (EditField.DATE, "32.10.2026", "stage_bad_date"),
        (EditField.GRADES, "3-11", "stage_grades_outside_level"),
        (EditField.GRADES, "10-11", "stage_grades_exclude_registered"),
        (EditField.PLACE, "   ", "stage_place_empty"),
        (
            EditField.PLACE,
            "в своей школе, начало в 10:00 (время местное)",
            "stage_nothing_to_change",
        ),
    ],
)
async def test_a_refused_value_changes_nothing(
    session: AsyncSession, world: StageWorld, field: EditField, raw: str, reason: str
) -> None:
    math, _people = await _math_with_people(session, world)
    with pytest.raises(Refused) as refused:
        await _edit(session, world, math, field, raw)
    assert refused.value.reason == reason
    event = await session.get(OlympiadEvent, math)
    assert event is not None and event.held_on == dt.date(2026, 10, 17)
    assert (event.grade_min, event.grade_max) == (4, 11)
    assert await count(session, AuditEntry) == 0
    assert await messages(session) == {}


async def test_closed_and_foreign_events_are_not_edited(
    session: AsyncSession, world: StageWorld
) -> None:
    history = await world.event_id(session, "history", Level.SCHOOL)
    await session.commit()
    async with session.begin():
        event = await session.get(OlympiadEvent, history)
        assert event is not None
        event.status = EventStatus.FINISHED
    with pytest.raises(Refused) as closed:
        await _edit(session, world, history, EditField.PLACE, "онлайн")
    assert closed.value.reason == "stage_event_closed"
    math = await world.event_id(session, "math", Level.SCHOOL)
    for key in ("municipal_kor", "regional", "curator"):
        with pytest.raises(Refused) as refused:
            await _edit(session, world, math, EditField.PLACE, "онлайн", key=key)
        assert refused.value.reason == "forbidden"


@pytest.mark.parametrize(
    ("status", "raw"),
    [
        (EventStatus.REGISTRATION, "01.10.2026"),
        (EventStatus.DRAFT, "05.10.2026"),  # yesterday in Sakhalin, still today in UTC
        (EventStatus.REGISTRATION, "4-8: 20.10.2026; 9-11: 02.10.2026"),
    ],
)
async def test_a_date_in_the_past_is_refused_before_the_event(
    session: AsyncSession, world: StageWorld, status: EventStatus, raw: str
) -> None:
    math = await world.event_id(session, "math", Level.SCHOOL)
    await session.commit()
    async with session.begin():
        event = await session.get(OlympiadEvent, math)
        assert event is not None
        event.status = status
    with pytest.raises(Refused) as refused:
        await _edit(session, world, math, EditField.DATE, raw)
    assert refused.value.reason == "stage_date_in_past"
    assert refused.value.details["today"] == "06.10.2026"
    event = await session.get(OlympiadEvent, math)
    assert event is not None and event.held_on == dt.date(2026, 10, 17)


async def test_today_and_held_events_may_take_an_earlier_date(
    session: AsyncSession, world: StageWorld
) -> None:
    math = await world.event_id(session, "math", Level.SCHOOL)
    outcome = await _edit(session, world, math, EditField.DATE, "06.10.2026")
    assert outcome.after == "06.10.2026"
    await session.commit()
    async with session.begin():
        event = await session.get(OlympiadEvent, math)
        assert event is not None
        event.status = EventStatus.SUMMARIZING  # a correction of a day already gone
    outcome = await _edit(session, world, math, EditField.DATE, "02.10.2026")
    assert outcome.after == "02.10.2026"
