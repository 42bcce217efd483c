"""/status: move one event, a whole stage or chosen subjects along the status lifecycle.

The selection, the target status, the preview's fingerprint and the reason live in the FSM
(stored in the database), so the confirm button applies exactly what the preview showed.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.choices import choice
from handlers.keyboards import stage as kbs
from handlers.states_stage import StatusFlow
from handlers.ui import show
from models.enums import EventStatus
from services.authz import Action
from services.errors import Refused
from services.people.identity import Identity
from services.reference.loader import ReferenceData
from services.rules.lifecycle import ORDER, Move, targets
from services.stage.scope import organiser_targets, resolve_target
from services.stage.status import Selection, StatusPreview, apply_change, preview_change
from services.stage.status import selected_events as events_of
from services.stage.views import status_counts, status_view
from ui.callbacks.stage import StatusAct, StatusCb
from ui.templating import render

router = Router(name=__name__)
# fmt: off
# fmt: on
LIMIT = 30
STAGE_SCREENS = {StatusAct.STAGE, StatusAct.SUBJECTS, StatusAct.TOGGLE, StatusAct.EVENTS}
ALL_TARGETS = [(str(s), Move.FORWARD) for s in (*ORDER, EventStatus.CANCELLED)]


async def _home(session: AsyncSession, ident: Identity) -> tuple[str, Any]:
    stages = await organiser_targets(session, ident, Action.CHANGE_STATUS)
    markup = kbs.stages_kb(stages, status=True) if stages else None
    return render("status/home.html", stages=stages), markup


@router.message(Command("status"))
async def cmd_status(
    message: Message, session: AsyncSession, ident: Identity, state: FSMContext
) -> None:
    await state.clear()
    text, markup = await _home(session, ident)
    await message.answer(text, reply_markup=markup)


@router.callback_query(StatusCb.filter(F.act == StatusAct.HOME))
async def on_home(
    cq: CallbackQuery, session: AsyncSession, ident: Identity, state: FSMContext
) -> None:
    await state.clear()
    await show(cq, *(await _home(session, ident)))


@router.callback_query(StatusCb.filter(F.act.in_(STAGE_SCREENS)))
async def on_stage(
    cq: CallbackQuery,
    callback_data: StatusCb,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    clock: Clock,
    i18n: I18n,
) -> None:
    act, code, locale = callback_data.act, callback_data.stage, i18n.current_locale
    stage = await resolve_target(session, ident, Action.CHANGE_STATUS, code)
    events = await events_of(session, ident, Selection(stage=stage), clock.now())
    data = await state.get_data()
    chosen = set(data.get("subjects", [])) if data.get("stage") == code else set()
    if act == StatusAct.TOGGLE:
        chosen ^= {callback_data.item} & {e.subject_id for e in events}
    await state.set_state(StatusFlow.choosing)
    await state.set_data({"stage": code, "subjects": sorted(chosen)})
    common = {"level": str(stage.level), "scope_name": stage.name}
    if act == StatusAct.STAGE:
        text = render(
            "status/mode.html", count=len(events), by_status=status_counts(events), **common
        )
        markup = kbs.status_mode_kb(code, bool(events))
    elif act == StatusAct.EVENTS:
        text = render("status/events.html", **common)
        markup = kbs.events_kb(code, events, callback_data.item, locale)
    else:
        text = render("status/subjects.html", chosen=len(chosen), **common)
        markup = kbs.subjects_kb(code, events, chosen, locale)
    await show(cq, text, markup)


async def _selection(session: AsyncSession, ident: Identity, data: dict[str, Any]) -> Selection:
    if data.get("event_id"):
        return Selection(event_id=int(data["event_id"]))
    if not data.get("stage"):
        raise Refused("stale_choice")
    stage = await resolve_target(session, ident, Action.CHANGE_STATUS, data["stage"])
    return Selection(stage=stage, subject_ids=tuple(data.get("subjects", [])))


def _what(preview: StatusPreview, selection: Selection, locale: str) -> str:
    if selection.stage is None:
        event = next(iter(preview.events.values()))
        return f"{event.subject(locale)}, {kbs.LEVELS_IN_TEXT[event.level]}"
    what = kbs.stage_label(selection.stage)
    if selection.subject_ids:
        count = len(selection.subject_ids)
        what += " · " + _("%(n)s subject", "%(n)s subjects", count) % {"n": count}
    return what


async def _preview(
    session: AsyncSession, ident: Identity, data: dict[str, Any], now: Any, locale: str
) -> tuple[str, InlineKeyboardMarkup, bool]:
    """The preview of the change the flow holds; records its fingerprint in `data`."""
    selection = await _selection(session, ident, data)
    preview = await preview_change(session, ident, selection, EventStatus(data["target"]), now)
    data["fp"] = preview.plan.fingerprint()
    waiting = preview.plan.needs_reason and not data.get("reason")
    view = status_view(preview, locale)
    what = _what(preview, selection, locale)
    text = render("status/preview.html", what=what, reason=data.get("reason"), limit=LIMIT, **view)
    ready = bool(preview.plan.changes) and not waiting
    return text, kbs.status_confirm_kb(data["fp"][:8], ready), waiting


@router.callback_query(StatusCb.filter(F.act.in_({StatusAct.ALL, StatusAct.TARGET})))
async def on_target(
    cq: CallbackQuery,
    callback_data: StatusCb,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    clock: Clock,
    i18n: I18n,
) -> None:
    data = await state.get_data()
    if callback_data.event_id:
        data = {"event_id": callback_data.event_id}
    elif callback_data.act == StatusAct.ALL:
        data = {"stage": callback_data.stage, "subjects": []}
    selection = await _selection(session, ident, data)
    if not callback_data.target:
        await state.set_state(StatusFlow.choosing)
        await state.set_data(data)
        await _show_targets(
            cq, selection, await events_of(session, ident, selection, clock.now()), i18n
        )
        return
    data.update(target=choice(EventStatus, callback_data.target).value, reason=None)
    text, markup, waiting = await _preview(session, ident, data, clock.now(), i18n.current_locale)
    await state.set_data(data)
    await state.set_state(StatusFlow.waiting_reason if waiting else StatusFlow.confirming)
    await show(cq, text, markup)


async def _show_targets(
    cq: CallbackQuery, selection: Selection, events: list[Any], i18n: I18n
) -> None:
    if selection.event_id is not None:
        event = events[0]
        what = f"{event.subject(i18n.current_locale)}, {kbs.LEVELS_IN_TEXT[event.level]}"
        choices = [(str(s), m) for s, m in targets(event.status)]
        text = render("status/target.html", what=what, current=str(event.status))
        await show(cq, text, kbs.targets_kb(choices, event.id))
        return
    what = kbs.stage_label(selection.stage) if selection.stage else ""
    await show(
        cq, render("status/target.html", what=what, current=None), kbs.targets_kb(ALL_TARGETS)
    )


@router.message(StatusFlow.waiting_reason, F.text, ~F.text.startswith("/"))
async def on_reason(
    message: Message,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    clock: Clock,
    i18n: I18n,
) -> None:
    data = await state.get_data()
    reason = (message.text or "").strip()[:500]
    data["reason"] = reason
    text, markup, _waiting = await _preview(session, ident, data, clock.now(), i18n.current_locale)
    await state.set_data(data)
    await state.set_state(StatusFlow.confirming)
    await message.answer(text, reply_markup=markup)


@router.callback_query(StatusCb.filter(F.act == StatusAct.CONFIRM))
async def on_confirm(
    cq: CallbackQuery,
    callback_data: StatusCb,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    clock: Clock,
    ref: ReferenceData,
) -> None:
    data = await state.get_data()
    fresh = await state.get_state() == StatusFlow.confirming.state
    if not fresh or not data.get("fp") or data["fp"][:8] != callback_data.token:
        raise Refused("status_stale")
    selection = await _selection(session, ident, data)
    done = await apply_change(
        session,
        ident,
        selection,
        EventStatus(data["target"]),
        fingerprint=data["fp"],
        reason=data.get("reason"),
        rules=ref.rules,
        now=clock.now(),
    )
    await state.clear()
    text = render(
        "status/done.html", changed=done.changed, notified=done.notified, target=data["target"]
    )
    await show(cq, text, None)
