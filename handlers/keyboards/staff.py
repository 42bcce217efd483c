"""Keyboards of /invite, /invites, /staff and /audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.keyboards.rows import own_row
from models.enums import Role
from services.staff.invitation_targets import Picker
from services.staff.invitations import InvitationView
from services.staff.members import StaffMember
from services.staff.places import Paged
from ui.callbacks.staff import AuditAct, AuditCb, InvAct, InvCalCb, InvCb, StaffAct, StaffCb

LABEL_CHARS = 60


def role_label(role: Role | str) -> str:
    labels = {
        Role.REGIONAL: _("Regional coordinator"),
        Role.MUNICIPAL: _("Municipal coordinator"),
        Role.CURATOR: _("School curator"),
        Role.ADMIN: _("Administrator"),
        Role.DATA_OPERATOR: _("School data operator"),
        Role.MUNICIPAL_OFFICE: _("Municipal education office"),
        Role.REGIONAL_CENTRE: _("Regional data centre"),
    }
    return labels.get(Role(role), str(role))


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _pager(
    kb: InlineKeyboardBuilder, paged: Paged[Any], to_page: Callable[[int], CallbackData]
) -> None:
    if paged.pages < 2:  # noqa: PLR2004 - one page needs no arrows
        return
    nav = InlineKeyboardBuilder()
    if paged.page > 0:
        nav.button(text="◀", callback_data=to_page(paged.page - 1))
    nav.button(text=f"{paged.page + 1}/{paged.pages}", callback_data=to_page(paged.page))
    if paged.page < paged.pages - 1:
        nav.button(text="▶", callback_data=to_page(paged.page + 1))
    kb.attach(nav)


def roles_kb(roles: tuple[Role, ...]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for role in roles:
        kb.button(text=role_label(role), callback_data=InvCb(act=InvAct.ROLE, role=role))
    kb.adjust(1)
    return kb.as_markup()


def picker_kb(picker: Picker) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for item in picker.items.items:
        data = InvCb(act=InvAct.PICK, role=picker.role, kind=picker.kind, id=item.id)
        kb.button(text=_short(item.name), callback_data=data)
    kb.adjust(1)
    _pager(
        kb,
        picker.items,
        lambda page: InvCb(
            act=InvAct.LIST, role=picker.role, kind=picker.kind, id=picker.parent_id, page=page
        ),
    )
    up = picker.up
    back = (
        InvCb(act=InvAct.LIST, role=picker.role, kind=up[0], id=up[1])
        if up
        else InvCb(act=InvAct.ROLES)
    )
    own_row(kb, _("« Back"), back)
    return kb.as_markup()


def calendars_kb(
    role: Role, place_id: int, calendars: list[tuple[str, str]]
) -> InlineKeyboardMarkup:
    """Every calendar, or one of them (code, name), for an invitation to a data-calendar role."""
    kb = InlineKeyboardBuilder()
    kb.button(text=_("All calendars"), callback_data=InvCalCb(role=role, id=place_id))
    for code, name in calendars:
        kb.button(text=_short(name), callback_data=InvCalCb(role=role, id=place_id, cal=code))
    kb.adjust(1)
    own_row(kb, _("« Back"), InvCb(act=InvAct.ROLE, role=role))
    return kb.as_markup()


def pending_kb(paged: Paged[InvitationView]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for number, item in enumerate(paged.items, start=paged.page * paged.size + 1):
        data = InvCb(act=InvAct.REVOKE, id=item.id, page=paged.page)
        kb.button(text=_short(f"✖ {number}. {item.place}"), callback_data=data)
    kb.adjust(1)
    _pager(kb, paged, lambda page: InvCb(act=InvAct.PAGE, page=page))
    return kb.as_markup()


def staff_kb(paged: Paged[StaffMember]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for number, member in enumerate(paged.items, start=paged.page * paged.size + 1):
        if member.can_revoke:
            data = StaffCb(act=StaffAct.ASK, grant_id=member.grant_id, page=paged.page)
            kb.button(text=_short(f"✖ {number}. {member.name}"), callback_data=data)
    kb.adjust(1)
    _pager(kb, paged, lambda page: StaffCb(act=StaffAct.PAGE, page=page))
    return kb.as_markup()


def confirm_revoke_kb(grant_id: int, page: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=_("Yes, take the role away"),
        callback_data=StaffCb(act=StaffAct.REVOKE, grant_id=grant_id, page=page),
    )
    kb.button(text=_("« Back"), callback_data=StaffCb(act=StaffAct.PAGE, page=page))
    kb.adjust(1)
    return kb.as_markup()


def audit_kb(paged: Paged[Any]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    _pager(kb, paged, lambda page: AuditCb(act=AuditAct.PAGE, page=page))
    if paged.total:
        own_row(kb, _("📄 Export .xlsx"), AuditCb(act=AuditAct.EXPORT))
    return kb.as_markup()
