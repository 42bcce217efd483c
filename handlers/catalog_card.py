"""The event card, and signing up or withdrawing from it (for myself or a linked child)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.catalog_reasons import refusal_text
from handlers.keyboards import catalog as kbs
from handlers.ui import show
from models.people import User
from services.appeals.filing import AppealLine, appeal_line
from services.catalog.card import EventCard, event_card
from services.codes.shown import card_code
from services.errors import Refused
from services.parents import links as parents
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.reference.loader import ReferenceData
from services.registration import register as registration
from services.results.access import load_event
from services.rules.deadlines import shown_deadline
from services.rules.eligibility import Ineligible
from ui.callbacks.catalog import CatAct, CatCb
from ui.callbacks.olympiad_day import ApAct, ApCb
from ui.templating import render

router = Router(name=__name__)


async def _card(
    session: AsyncSession,
    me: User,
    view: CatCb,
    clock: Clock,
    viewer: Viewer,
    ref: ReferenceData,
    locale: str,
) -> tuple[User, EventCard]:
    student = await parents.acting_for(session, me, view.ch)
    card = await event_card(
        session,
        me,
        student,
        view.ev,
        clock.now(),
        ref.rules,
        locale=locale,
        zone=viewer.zone,
    )
    return student, card


async def _day(
    session: AsyncSession, viewer: Viewer, student: User, card: EventCard, ref: ReferenceData
) -> dict[str, object]:
    """The participant code and the appeal window lines of the card (the olympiad day)."""
    code = await card_code(session, viewer.ident, student, card.event_id, viewer.now)
    event = await load_event(session, card.event_id)
    appeal = await appeal_line(session, student, event, ref.day, viewer.now)
    return {"code": code, "appeal": appeal}


def _with_appeal(markup: InlineKeyboardMarkup, day: dict[str, object]) -> InlineKeyboardMarkup:
    appeal = day.get("appeal")
    if not isinstance(appeal, AppealLine) or not appeal.can_file:
        return markup
    button = InlineKeyboardButton(
        text=_("📝 File an appeal"),
        callback_data=ApCb(act=ApAct.FILE, id=appeal.registration_id).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button], *markup.inline_keyboard])


def _screen(
    me: User,
    student: User,
    card: EventCard,
    view: CatCb,
    banner: str | None = None,
    template: str = "catalog/card.html",
    day: dict[str, object] | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    day = day or {"code": None, "appeal": None}
    child = student.full_name if student.id != me.id else None
    reason = ""
    if isinstance(card.verdict, Ineligible):
        reason = refusal_text(Refused(card.verdict.reason, **card.verdict.details), card.zone)
    text = render(
        template,
        card=card,
        child=child,
        banner=banner,
        zone=card.zone,
        reason=reason,
        closes=shown_deadline(card.deadline, card.zone),
        **day,
    )
    if template != "catalog/card.html":
        return text, kbs.unregister_kb(view)
    return text, _with_appeal(kbs.card_kb(card, view, child), day)


@router.callback_query(CatCb.filter(F.act.in_({CatAct.CARD, CatAct.UNREGISTER})))
async def on_card(
    cq: CallbackQuery,
    callback_data: CatCb,
    session: AsyncSession,
    me: User,
    clock: Clock,
    viewer: Viewer,
    ref: ReferenceData,
    i18n: I18n,
) -> None:
    view = callback_data.model_copy(update={"act": CatAct.CARD})
    student, card = await _card(session, me, view, clock, viewer, ref, i18n.current_locale)
    if callback_data.act == CatAct.UNREGISTER and card.can_unregister:
        await show(
            cq, *_screen(me, student, card, view, template="catalog/unregister_confirm.html")
        )
        return
    day = await _day(session, viewer, student, card, ref)
    await show(cq, *_screen(me, student, card, view, day=day))


@router.callback_query(CatCb.filter(F.act.in_({CatAct.REGISTER, CatAct.UNREGISTER_OK})))
async def on_change(
    cq: CallbackQuery,
    callback_data: CatCb,
    session: AsyncSession,
    me: User,
    ident: Identity,
    clock: Clock,
    viewer: Viewer,
    ref: ReferenceData,
    i18n: I18n,
) -> None:
    view = callback_data.model_copy(update={"act": CatAct.CARD})
    locale = i18n.current_locale
    registering = callback_data.act == CatAct.REGISTER
    change = registration.register if registering else registration.unregister
    try:
        student = await parents.acting_for(session, me, view.ch)
        await change(session, ident, student, view.ev, clock.now(), ref.rules)
    except Refused as refusal:
        # The press re-checks everything: say why, then show the card as it stands now.
        await _refused(cq, refusal, session, me, view, clock, viewer, ref, locale)
        return
    _, card = await _card(session, me, view, clock, viewer, ref, locale)
    await show(
        cq, *_screen(me, student, card, view, "registered" if registering else "unregistered")
    )


async def _refused(
    cq: CallbackQuery,
    refusal: Refused,
    session: AsyncSession,
    me: User,
    view: CatCb,
    clock: Clock,
    viewer: Viewer,
    ref: ReferenceData,
    locale: str,
) -> None:
    try:
        student, card = await _card(session, me, view, clock, viewer, ref, locale)
    except Refused:
        await cq.answer(refusal_text(refusal, viewer.zone)[:200], show_alert=True)
        return  # the event is gone or the child unlinked: nothing to show
    await cq.answer(refusal_text(refusal, card.zone)[:200], show_alert=True)
    await show(cq, *_screen(me, student, card, view), answered=True)
