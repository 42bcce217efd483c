"""/event <id> (or /event_<id>, or a button of the overview): one event's card, and editing
its date, grades or place; the people it concerns are told what changed."""

from __future__ import annotations

import html
import re

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.choices import choice
from handlers.keyboards import stage as kbs
from handlers.refusals import reason_text
from handlers.states_stage import EventEditFlow
from handlers.ui import show
from models.bounds import parse_id
from services.errors import Refused
from services.people.identity import Identity
from services.reference.loader import ReferenceData
from services.stage.card import event_card
from services.stage.event_edit import EditField, edit_event, editable_event
from ui.callbacks.stage import EventAct, EventCb
from ui.templating import render

router = Router(name=__name__)
# Typed values and schedule cells are checked by the same rules (services/stage_values.py).
# fmt: off
# fmt: on


def refusal_html(refusal: Refused) -> str:
    """The refusal's text for an HTML message: what the person typed is shown, not parsed."""
    details = {
        key: html.escape(value) if isinstance(value, str) else value
        for key, value in refusal.details.items()
    }
    return reason_text(Refused(refusal.reason, **details))


async def _card(
    session: AsyncSession, ident: Identity, event_id: int, ref: ReferenceData, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    card = await event_card(session, ident, event_id, ref)
    return render("overview/card.html", card=card, locale=locale), kbs.card_kb(card)


@router.message(Command(re.compile(r"event_(\d+)")))
@router.message(Command("event"))
async def cmd_event(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    ref: ReferenceData,
    i18n: I18n,
) -> None:
    match = command.regexp_match
    event_id = parse_id(match.group(1) if match else (command.args or ""))
    if event_id is None:
        await message.answer(_("Write the event's number: /event 12 (numbers are in /overview)."))
        return
    await state.clear()
    try:
        text, markup = await _card(session, ident, event_id, ref, i18n.current_locale)
    except Refused as refusal:
        if refusal.reason != "unknown_event":
            raise
        await message.answer(reason_text(Refused("stage_event_not_found", id=event_id)))
        return
    await message.answer(text, reply_markup=markup)


@router.callback_query(EventCb.filter(F.act == EventAct.CARD))
async def on_card(
    cq: CallbackQuery,
    callback_data: EventCb,
    session: AsyncSession,
    ident: Identity,
    ref: ReferenceData,
    i18n: I18n,
) -> None:
    await show(
        cq, *(await _card(session, ident, callback_data.event_id, ref, i18n.current_locale))
    )


@router.callback_query(EventCb.filter(F.act == EventAct.FIELD))
async def on_field(
    cq: CallbackQuery,
    callback_data: EventCb,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    ref: ReferenceData,
) -> None:
    field = choice(EditField, callback_data.field)
    await editable_event(session, ident, callback_data.event_id)  # before asking for a value
    card = await event_card(session, ident, callback_data.event_id, ref)
    await state.set_state(EventEditFlow.waiting_value)
    await state.set_data({"event_id": card.event.id, "field": str(field)})
    current = {EditField.DATE: card.dates, EditField.GRADES: card.grades}.get(
        field, card.event.place
    )
    text = render(
        "overview/ask_value.html",
        field=str(field),
        current=current or "—",
        allowed=card.allowed_grades,
    )
    await show(cq, text, kbs.cancel_kb())


@router.message(EventEditFlow.waiting_value, F.text, ~F.text.startswith("/"))
async def on_value(
    message: Message,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    clock: Clock,
    ref: ReferenceData,
    i18n: I18n,
) -> None:
    data = await state.get_data()
    try:
        outcome = await edit_event(
            session,
            ident,
            int(data["event_id"]),
            EditField(data["field"]),
            message.text or "",
            ref=ref,
            now=clock.now(),
        )
    except Refused as refusal:
        await message.answer(refusal_html(refusal) + "\n" + _("Send another value, or /cancel."))
        return
    await state.clear()
    done = render(
        "overview/edited.html",
        field=data["field"],
        before=outcome.before,
        after=outcome.after,
        notified=outcome.notified,
    )
    text, markup = await _card(session, ident, outcome.event.id, ref, i18n.current_locale)
    await message.answer(done + "\n\n" + text, reply_markup=markup)
