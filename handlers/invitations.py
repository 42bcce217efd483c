"""/invite and the invitation deep link (`/start inv_<code>`).

Include this router before the generic /start router: it claims only start parameters that
begin with `inv_`.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.command_menu import commands_for
from handlers.keyboards import staff as kbs
from handlers.panel_button import offer_menu_button
from handlers.ui import show
from models.enums import Role
from reminders.texts import calendar_label
from services.authz import CALENDAR_ROLES, authorize_invite, grantable_roles
from services.calendar_steps.items import CALENDARS
from services.errors import Refused
from services.people.identity import Identity
from services.people.viewer import Policy, Viewer
from services.reference.reference_data import ReferenceData
from services.scopes import Scope
from services.staff import invitation_targets, invitations
from ui.callbacks.staff import InvAct, InvCalCb, InvCb
from ui.templating import render

router = Router(name=__name__)


def ttl_hours(policy: Policy) -> int:
    return policy.invitation_ttl_hours


@router.message(CommandStart(deep_link=True, magic=F.args.startswith(invitations.CODE_PREFIX)))
async def on_invitation_link(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    policy: Policy,
    bot: Bot,
) -> None:
    await state.clear()
    accepted = await invitations.accept_invitation(
        session, ident, command.args or "", clock.now(), policy.admin_ids
    )
    staff = Identity(ident.user, ident.is_admin, (*ident.grants, accepted.grant))
    text = render(
        "invitations/welcome.html",
        role=accepted.role,
        place=accepted.place,
        calendar=accepted.calendar,
        calendar_role=accepted.role in CALENDAR_ROLES,
        commands=commands_for(staff),
    )
    await message.answer(text)
    # The new role's panel, on the menu button of the chat this update came from.
    await offer_menu_button(bot, message.chat.id, staff, policy)


@router.message(Command("invite"))
async def cmd_invite(message: Message, state: FSMContext, ident: Identity) -> None:
    await state.clear()
    roles = grantable_roles(ident)
    if not roles:
        raise Refused("forbidden")
    await message.answer(render("invitations/choose_role.html"), reply_markup=kbs.roles_kb(roles))


@router.callback_query(InvCb.filter(F.act == InvAct.ROLES))
async def on_roles(cq: CallbackQuery, ident: Identity) -> None:
    roles = grantable_roles(ident)
    if not roles:
        raise Refused("forbidden")
    await show(cq, render("invitations/choose_role.html"), kbs.roles_kb(roles))


def _role(callback_data: InvCb) -> Role:
    if callback_data.role not in invitation_targets.TARGET_KIND:
        raise Refused("stale_choice")
    return Role(callback_data.role)


async def _show_picker(cq: CallbackQuery, picker: invitation_targets.Picker) -> None:
    await show(cq, render("invitations/choose_place.html", picker=picker), kbs.picker_kb(picker))


@router.callback_query(InvCb.filter(F.act == InvAct.ROLE))
async def on_role(
    cq: CallbackQuery, callback_data: InvCb, session: AsyncSession, ident: Identity, i18n: I18n
) -> None:
    role = _role(callback_data)
    picker = await invitation_targets.first_picker(session, ident, role, i18n.current_locale)
    await _show_picker(cq, picker)


@router.callback_query(InvCb.filter(F.act == InvAct.LIST))
async def on_list(
    cq: CallbackQuery, callback_data: InvCb, session: AsyncSession, ident: Identity, i18n: I18n
) -> None:
    cb = callback_data
    picker = await invitation_targets.picker(
        session, ident, _role(cb), cb.kind, cb.id, cb.page, i18n.current_locale
    )
    await _show_picker(cq, picker)


@router.callback_query(InvCb.filter(F.act == InvAct.PICK))
async def on_pick(
    cq: CallbackQuery,
    callback_data: InvCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    viewer: Viewer,
    policy: Policy,
    i18n: I18n,
    bot: Bot,
    ref: ReferenceData,
) -> None:
    role, locale = _role(callback_data), i18n.current_locale
    if callback_data.kind != invitation_targets.TARGET_KIND[role]:
        deeper = "m" if callback_data.kind == "r" else "s"
        picker = await invitation_targets.picker(
            session, ident, role, deeper, callback_data.id, 0, locale
        )
        await _show_picker(cq, picker)
        return
    scope = await invitation_targets.target_scope(session, role, callback_data.id)
    if role in CALENDAR_ROLES:
        # Checked before asking which calendars, so nobody picks for a place not theirs.
        authorize_invite(ident, role, scope)
        calendars = [(code, calendar_label(code)) for code in _calendars(ref)]
        text = render("invitations/choose_calendar.html", role=role)
        await show(cq, text, kbs.calendars_kb(role, callback_data.id, calendars))
        return
    await _create(cq, session, ident, role, scope, clock, viewer, policy, locale, bot)


def _calendars(ref: ReferenceData) -> list[str]:
    """The data calendars of the deployment an invitation may be limited to."""
    return [code for code in CALENDARS if code in ref.calendars]


@router.callback_query(InvCalCb.filter())
async def on_calendar(
    cq: CallbackQuery, callback_data: InvCalCb, session: AsyncSession, ident: Identity,
    clock: Clock, viewer: Viewer, policy: Policy, i18n: I18n, bot: Bot, ref: ReferenceData,
) -> None:  # fmt: skip
    if callback_data.role not in CALENDAR_ROLES:
        raise Refused("stale_choice")
    role = Role(callback_data.role)
    if callback_data.cal and callback_data.cal not in _calendars(ref):
        raise Refused("stale_choice")
    scope = await invitation_targets.target_scope(session, role, callback_data.id)
    await _create(
        cq, session, ident, role, scope, clock, viewer, policy, i18n.current_locale, bot,
        calendar=callback_data.cal or None,
    )  # fmt: skip


async def _create(  # noqa: PLR0913 - the invitation's what, where and for whom, and the reply
    cq: CallbackQuery,
    session: AsyncSession,
    ident: Identity,
    role: Role,
    scope: Scope,
    clock: Clock,
    viewer: Viewer,
    policy: Policy,
    locale: str,
    bot: Bot,
    calendar: str | None = None,
) -> None:
    created = await invitations.create_invitation(
        session, ident, role, scope, clock.now(), ttl_hours=ttl_hours(policy), locale=locale,
        calendar=calendar,
    )  # fmt: skip
    me = await bot.me()
    text = render(
        "invitations/created.html",
        invitation=created.invitation,
        link=invitations.deep_link(me.username or "", created.token),
        tz=viewer.zone,
        calendar_role=role in CALENDAR_ROLES,
    )
    await show(cq, text, None)
