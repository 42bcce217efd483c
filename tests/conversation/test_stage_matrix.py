"""The coordinators' stage commands × every role × a target in and out of the person's scope.

The rows of the staff matrix (`test_staff_matrix.py`, whose docstring explains a row) for /stage,
/status, /overview and /event. What each role may do comes from DOMAIN.md:

- the municipal coordinator organises the school and the municipal stage of their municipality
  (creates the events, changes their status, edits them); the regional coordinator organises
  the regional stage of their region; the admin may do anything anywhere;
- coordinators monitor what lies below them: a municipal one the events of their municipality,
  a regional one every event of their region (municipal and school stages included) — but
  seeing an event is not organising it;
- students, parents, curators and people with no role organise and monitor nothing.

An out-of-scope attempt is what a tampered or stale button would send: callback data naming a
stage or an event of a region nobody of the demo works in. Every refused change is also checked
in the database: the event keeps its status, its place, and no event was created.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

import pytest
from sqlalchemy import delete, func, select

from bot.app import App
from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent, scope_key_for
from tests.support.chat import ChatDriver, Reply
from tests.support.staff_chat import press, refused
from tests.support.staff_matrix import (
    Ctx,
    MatrixRow,
    extra_routers,
    make_event,
    run_row,
)
from ui.callbacks.stage import EventAct, EventCb, StageAct, StageCb, StatusAct, StatusCb

__all__ = ["extra_routers"]

EventAttempt = Callable[[Ctx, bool, Level, int], Awaitable[bool]]
BROKEN = "Что-то пошло не так"
NOT_ORGANISER = "Вы не организуете ни один этап олимпиады."  # /stage of a non-organiser
STAGE_MENU = "Какой этап создать?"
UPLOAD = "Отправьте расписание файлом"
NO_STAGES = "Вы не организуете ни один этап, поэтому менять статусы нечему."  # /status
STATUS_MENU = "Выберите этап, мероприятия которого нужно перевести дальше"
TO_CONDUCTING = "Новый статус: Проведение"
ASK_REASON = "Напишите причину одним сообщением"
CONFIRM = "✅ Подтвердить"
STATUS_DONE = "Статус изменён у 1 мероприятия"
OVERVIEW = "Обзор этапов"
ASK_PLACE = "Отправьте новое место и формат"
NEW_PLACE = "Актовый зал, очно"
LEVEL_NAMES = {
    Level.SCHOOL: "Школьный",
    Level.MUNICIPAL: "Муниципальный",
    Level.REGIONAL: "Регион",
}

MUNICIPAL_STAGES = frozenset({"municipal", "admin"})  # who organises school / municipal stages
REGIONAL_STAGE = frozenset({"regional", "admin"})
MONITORS = frozenset({"municipal", "regional", "admin"})  # who sees a municipality's events


def _checked(reply: Reply) -> Reply:
    assert not reply.errors, reply
    assert BROKEN not in reply.text and BROKEN not in (reply.alert or ""), reply
    return reply


def _stage_code(ctx: Ctx, in_scope: bool, level: Level) -> str:
    """The code a stage button carries: level letter + "m<municipality>" or "r<region>"."""
    region = ctx.places.pick("r", in_scope)
    municipality = None if level == Level.REGIONAL else ctx.places.pick("m", in_scope)
    return f"{level.value[0]}{scope_key_for(region, municipality)}"


async def _event_row(ctx: Ctx, event_id: int) -> tuple[EventStatus, str | None]:
    async with ctx.app.sessionmaker() as session:
        row = (
            await session.execute(
                select(OlympiadEvent.status, OlympiadEvent.place).where(
                    OlympiadEvent.id == event_id
                )
            )
        ).one()
        return EventStatus(row[0]), row[1]


async def _event_count(ctx: Ctx) -> int:
    async with ctx.app.sessionmaker() as session:
        return await session.scalar(select(func.count(OlympiadEvent.id))) or 0


async def _forget(ctx: Ctx, event_id: int) -> None:
    async with ctx.app.sessionmaker() as session, session.begin():
        await session.execute(delete(OlympiadEvent).where(OlympiadEvent.id == event_id))


def _own_event(attempt: EventAttempt) -> Callable[[Ctx, bool, Level], Awaitable[bool]]:
    """Plays `attempt` on a fresh event of the level, removed afterwards (an event is unique
    per subject, level, place and year, and listings of later attempts stay short)."""

    async def played(ctx: Ctx, in_scope: bool, level: Level) -> bool:
        event_id = await make_event(ctx, in_scope, level)
        try:
            return await attempt(ctx, in_scope, level, event_id)
        finally:
            await _forget(ctx, event_id)

    return played


async def attempt_stage(ctx: Ctx, in_scope: bool, level: Level) -> bool:
    """/stage, then the stage's button (forged for the out-of-scope stage): the upload screen."""
    before = await _event_count(ctx)
    menu = _checked(await ctx.chat.send("/stage"))
    if STAGE_MENU not in menu.text:
        assert NOT_ORGANISER in menu.text, menu
    offered = any(label.startswith(LEVEL_NAMES[level]) for label in menu.buttons)
    data = StageCb(act=StageAct.PICK, stage=_stage_code(ctx, in_scope, level)).pack()
    reply = _checked(await press(ctx.app, ctx.chat, data))
    assert await _event_count(ctx) == before  # choosing a stage creates nothing yet
    if refused(reply):
        assert not (in_scope and offered), f"the menu offers a stage it refuses: {menu.buttons}"
        return False
    assert UPLOAD in reply.text, reply
    await ctx.chat.send("/cancel")
    return True


@_own_event
async def attempt_status(ctx: Ctx, in_scope: bool, level: Level, event_id: int) -> bool:
    """/status, then an event's "→ Проведение" button and the confirm: the event moves on."""
    entry = _checked(await ctx.chat.send("/status"))
    assert STATUS_MENU in entry.text or NO_STAGES in entry.text, entry
    data = StatusCb(act=StatusAct.TARGET, event_id=event_id, target="conducting").pack()
    reply = _checked(await press(ctx.app, ctx.chat, data))
    if refused(reply):
        assert (await _event_row(ctx, event_id))[0] == EventStatus.REGISTRATION
        return False
    assert TO_CONDUCTING in reply.text, reply
    assert CONFIRM in reply.buttons, reply.text
    reply = _checked(await ctx.chat.click(CONFIRM))
    assert STATUS_DONE in reply.text, reply
    assert (await _event_row(ctx, event_id))[0] == EventStatus.CONDUCTING
    return True


@_own_event
async def attempt_status_stage(ctx: Ctx, in_scope: bool, level: Level, event_id: int) -> bool:
    """/status for a whole stage (forged for the out-of-scope stage): every event moves on."""
    _checked(await ctx.chat.send("/status"))
    code = _stage_code(ctx, in_scope, level)
    data = StatusCb(act=StatusAct.ALL, stage=code, target="conducting").pack()
    reply = _checked(await press(ctx.app, ctx.chat, data))
    if refused(reply):
        assert (await _event_row(ctx, event_id))[0] == EventStatus.REGISTRATION
        return False
    assert TO_CONDUCTING in reply.text, reply
    if ASK_REASON in reply.text:  # the demo stage holds events further along, moved back too
        reply = _checked(await ctx.chat.send("Проверка прав"))
    assert CONFIRM in reply.buttons, reply.text
    reply = _checked(await ctx.chat.click(CONFIRM))
    assert "Статус изменён" in reply.text, reply
    assert (await _event_row(ctx, event_id))[0] == EventStatus.CONDUCTING
    return True


@_own_event
async def attempt_overview(ctx: Ctx, in_scope: bool, level: Level, event_id: int) -> bool:
    """/overview: allowed when the event is listed; an out-of-scope event must never be."""
    reply = _checked(await ctx.chat.send("/overview"))
    if refused(reply):
        return False
    assert OVERVIEW in reply.text, reply
    return f"/event_{event_id}" in reply.text


@_own_event
async def attempt_card(ctx: Ctx, in_scope: bool, level: Level, event_id: int) -> bool:
    """/event <id>: the event's card, or the refusal."""
    reply = _checked(await ctx.chat.send(f"/event {event_id}"))
    if refused(reply):
        return False
    assert f"#{event_id}" in reply.text and "Статус: Регистрация" in reply.text, reply
    return True


@_own_event
async def attempt_edit(ctx: Ctx, in_scope: bool, level: Level, event_id: int) -> bool:
    """The card's "✏️ place" button (forged where no card shows it) and a new place."""
    card = _checked(await ctx.chat.send(f"/event {event_id}"))
    editable = any(label.startswith("✏️") for label in card.buttons)
    data = EventCb(act=EventAct.FIELD, event_id=event_id, field="place").pack()
    reply = _checked(await press(ctx.app, ctx.chat, data))
    if refused(reply):
        assert not editable, f"the card offers an edit it refuses: {card.buttons}"
        assert not (await _event_row(ctx, event_id))[1]
        return False
    assert ASK_PLACE in reply.text, reply
    reply = _checked(await ctx.chat.send(NEW_PLACE))
    assert f"→ {NEW_PLACE}" in reply.text, reply
    assert (await _event_row(ctx, event_id))[1] == NEW_PLACE
    return True


def _rows() -> list[MatrixRow]:
    levels = {Level.SCHOOL: MUNICIPAL_STAGES, Level.MUNICIPAL: MUNICIPAL_STAGES}
    organisers = levels | {Level.REGIONAL: REGIONAL_STAGE}
    monitors = {Level.SCHOOL: MONITORS, Level.REGIONAL: REGIONAL_STAGE}
    rows: list[MatrixRow] = []
    for level, who in organisers.items():
        rows += [
            MatrixRow(f"/stage {level}", partial(attempt_stage, level=level), who),
            MatrixRow(f"/status {level} event", partial(attempt_status, level=level), who),
            MatrixRow(f"/status {level} stage", partial(attempt_status_stage, level=level), who),
            MatrixRow(f"/event {level} edit", partial(attempt_edit, level=level), who),
        ]
    for level, who in monitors.items():
        rows += [
            MatrixRow(f"/overview {level}", partial(attempt_overview, level=level), who),
            MatrixRow(f"/event {level} card", partial(attempt_card, level=level), who),
        ]
    return rows


ROWS = _rows()


@pytest.mark.parametrize("row", ROWS, ids=[row.command for row in ROWS])
async def test_stage_matrix(
    app: App, make_chat: Callable[..., ChatDriver], row: MatrixRow
) -> None:
    await run_row(app, make_chat, row)
