"""/staff (people holding roles in my scope, revoking a role) and /invites (my pending links)."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import staff as kbs
from handlers.ui import show
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.staff import invitations
from services.staff import members as staff
from ui.callbacks.staff import InvAct, InvCb, StaffAct, StaffCb
from ui.templating import render

router = Router(name=__name__)


async def _staff_screen(
    session: AsyncSession, ident: Identity, page: int, locale: str, viewer: Viewer
) -> tuple[str, InlineKeyboardMarkup]:
    members = await staff.staff_page(session, ident, page, locale)
    zone = viewer.zone
    return render("staff/list.html", staff=members, tz=zone), kbs.staff_kb(members)


async def _invites_screen(
    session: AsyncSession,
    ident: Identity,
    page: int,
    now: datetime,
    locale: str,
    viewer: Viewer,
    taken: invitations.InvitationView | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    pending = await invitations.pending_invitations(session, ident, now, page, locale)
    zone = viewer.zone
    text = render("invitations/pending.html", pending=pending, tz=zone, taken=taken)
    return text, kbs.pending_kb(pending)


@router.message(Command("staff"))
async def cmd_staff(
    message: Message, session: AsyncSession, ident: Identity, viewer: Viewer, i18n: I18n
) -> None:
    text, markup = await _staff_screen(session, ident, 0, i18n.current_locale, viewer)
    await message.answer(text, reply_markup=markup)


@router.callback_query(StaffCb.filter(F.act == StaffAct.PAGE))
async def on_staff_page(
    cq: CallbackQuery,
    callback_data: StaffCb,
    session: AsyncSession,
    ident: Identity,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    page, locale = callback_data.page, i18n.current_locale
    await show(cq, *await _staff_screen(session, ident, page, locale, viewer))


@router.callback_query(StaffCb.filter(F.act == StaffAct.ASK))
async def on_ask_revoke(
    cq: CallbackQuery, callback_data: StaffCb, session: AsyncSession, ident: Identity, i18n: I18n
) -> None:
    member = await staff.staff_member(session, ident, callback_data.grant_id, i18n.current_locale)
    markup = kbs.confirm_revoke_kb(member.grant_id, callback_data.page)
    await show(cq, render("staff/confirm.html", member=member), markup)


@router.callback_query(StaffCb.filter(F.act == StaffAct.REVOKE))
async def on_revoke(
    cq: CallbackQuery,
    callback_data: StaffCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    i18n: I18n,
) -> None:
    member = await staff.revoke_role(
        session, ident, callback_data.grant_id, clock.now(), i18n.current_locale
    )
    await show(cq, render("staff/revoked.html", member=member), None)


@router.message(Command("invites"))
async def cmd_invites(
    message: Message,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    now, locale = clock.now(), i18n.current_locale
    text, markup = await _invites_screen(session, ident, 0, now, locale, viewer)
    await message.answer(text, reply_markup=markup)


@router.callback_query(InvCb.filter(F.act.in_({InvAct.PAGE, InvAct.REVOKE})))
async def on_invites(
    cq: CallbackQuery,
    callback_data: InvCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    now, taken = clock.now(), None
    if callback_data.act == InvAct.REVOKE:
        taken = await invitations.revoke_invitation(session, ident, callback_data.id, now)
    screen = await _invites_screen(
        session, ident, callback_data.page, now, i18n.current_locale, viewer, taken
    )
    await show(cq, *screen)
