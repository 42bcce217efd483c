"""/mydata: everything the bot keeps about me, and deleting it after a confirmation."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards.onboarding import LANGUAGES
from handlers.keyboards.reminders import quiet_label
from handlers.keyboards.settings import utc_offset
from handlers.settings import zone_names
from handlers.ui import show
from models.people import User
from reminders.texts import calendar_label
from services.parents import links as parents
from services.people import personal_data
from services.people.erase import erase_person
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.reference.loader import ReferenceData
from ui.callbacks.catalog import PdAct, PdCb
from ui.templating import render

router = Router(name=__name__)

KINDS = {"student": __("a student"), "parent": __("a parent"), "staff": __("a staff member")}
ROLES = {
    "admin": __("administrator of the bot"),
    "regional": __("coordinator of a region"),
    "municipal": __("coordinator of a municipality"),
    "curator": __("curator of a school"),
    "data_operator": __("data operator of a school (school passport, VPR)"),
    "municipal_office": __("municipal education office (data calendars)"),
    "regional_centre": __("regional data centre (data calendars)"),
}
OTHER_RECORDS = {
    "outbox": __("messages queued for you"),
    "delivery_log": __("delivery records of messages"),
    "reminder_preference": __("your reminder settings"),
    "mute": __("reminders you muted"),
    "audit_entry": __("entries in the log of staff actions"),
    "parent_link_code": __("codes for parents"),
    "prior_award": __("awards of earlier years"),
    "invitation": __("staff invitations"),
    "claim_code": __("codes for taking over a record"),
    "olympiad_event": __("olympiads you created"),
    "step_mark": __("calendar steps you marked done"),
    "plan_work": __("plan-schedule rows you uploaded"),
}


def _kb(*buttons: tuple[str, PdCb]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for text, data in buttons:
        kb.button(text=text, callback_data=data)
    kb.adjust(1)
    return kb.as_markup()


async def _shown(
    session: AsyncSession, me: User, clock: Clock, viewer: Viewer, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    data = await personal_data.collect(session, me, clock.now(), locale, viewer.zone)
    labels: dict[str, Any] = {key: str(value) for key, value in OTHER_RECORDS.items()}
    zone = data.profile.timezone
    text = render(
        "personal_data/show.html",
        data=data,
        language=dict(LANGUAGES).get(data.locale or "", "—"),
        zone=f"{zone_names().get(zone, zone)} ({utc_offset(zone, clock)})" if zone else "—",
        kinds={key: str(value) for key, value in KINDS.items()},
        roles={key: str(value) for key, value in ROLES.items()},
        others=labels,
        calendar_quiet=[
            (calendar_label(code), quiet_label(hours)) for code, hours in data.calendar_quiet
        ],
    )
    return text, _kb((_("🗑 Delete my data"), PdCb(act=PdAct.ASK)))


@router.message(Command("mydata"))
async def cmd_mydata(
    message: Message,
    session: AsyncSession,
    me: User,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    text, markup = await _shown(session, me, clock, viewer, i18n.current_locale)
    await message.answer(text, reply_markup=markup)


@router.callback_query(PdCb.filter(F.act == PdAct.SHOW))
async def on_show(
    cq: CallbackQuery,
    session: AsyncSession,
    me: User,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    await show(cq, *await _shown(session, me, clock, viewer, i18n.current_locale))


@router.callback_query(PdCb.filter(F.act == PdAct.ASK))
async def on_ask(cq: CallbackQuery, session: AsyncSession, me: User, ident: Identity) -> None:
    children = [c for c in await parents.children_of(session, me.id) if c.managed]
    text = render("personal_data/confirm.html", children=len(children), roles=bool(ident.grants))
    markup = _kb(
        (_("Yes, delete everything"), PdCb(act=PdAct.ERASE)),
        (_("No, keep my data"), PdCb(act=PdAct.SHOW)),
    )
    await show(cq, text, markup)


@router.callback_query(PdCb.filter(F.act == PdAct.ERASE))
async def on_erase(
    cq: CallbackQuery, session: AsyncSession, me: User, clock: Clock, ref: ReferenceData
) -> None:
    # The conversation state goes with the rest, so the flow is not cleared afterwards.
    erased = await erase_person(session, me, clock.now(), ref.rules)
    await show(cq, render("personal_data/erased.html", kept=erased.kept_anonymised), None)
