"""Keyboards of data collections and card completeness."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.keyboards.rows import own_row
from models.collections import Collection, CollectionOrg, OrgState
from models.geo import Municipality
from services.collections.monitor import MineLine, OrgPage
from ui.callbacks.collections import CmpAct, CmpCb, ColAct, ColCb

STATE_CODES = {OrgState.NOT_STARTED: "n", OrgState.IN_PROGRESS: "w", OrgState.SUBMITTED: "s"}
STATES_BY_CODE = {code: state for state, code in STATE_CODES.items()}


def state_names() -> dict[OrgState, str]:
    return {
        OrgState.NOT_STARTED: _("Not started"),
        OrgState.IN_PROGRESS: _("In progress"),
        OrgState.SUBMITTED: _("Submitted"),
    }


def list_kb(
    mine: Sequence[MineLine], coordinated: Sequence[Collection] | None
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for line in mine:
        text = f"{line.collection.title[:30]} · {line.school[:25]}"
        kb.button(text=text, callback_data=ColCb(act=ColAct.MINE, c=line.collection.id,
                                                 s=line.school_id))  # fmt: skip
    for collection in coordinated or ():
        kb.button(text=f"📊 {collection.title[:50]}",
                  callback_data=ColCb(act=ColAct.CARD, c=collection.id))  # fmt: skip
    if coordinated is not None:
        kb.button(text=_("➕ Open a collection"), callback_data=ColCb(act=ColAct.NEW))
    kb.adjust(1)
    return kb.as_markup()


def card_kb(collection_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("Organisations"), callback_data=ColCb(act=ColAct.ORGS, c=collection_id))
    kb.button(text=_("Report (.xlsx)"), callback_data=ColCb(act=ColAct.REPORT, c=collection_id))
    kb.adjust(2)
    own_row(kb, _("« Collections"), ColCb(act=ColAct.LIST))
    return kb.as_markup()


def orgs_kb(collection_id: int, view: OrgPage) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if view.page > 0:
        kb.button(text="◀️", callback_data=ColCb(act=ColAct.ORGS, c=collection_id,
                                                page=view.page - 1))  # fmt: skip
    if view.page + 1 < view.pages:
        kb.button(text="▶️", callback_data=ColCb(act=ColAct.ORGS, c=collection_id,
                                                page=view.page + 1))  # fmt: skip
    own_row(kb, _("« Totals"), ColCb(act=ColAct.CARD, c=collection_id))
    return kb.as_markup()


def orgs_choice_kb(municipalities: Sequence[Municipality]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("All organisations of my scope"), callback_data=ColCb(act=ColAct.ALL))
    for municipality in municipalities:
        kb.button(text=municipality.name[:60],
                  callback_data=ColCb(act=ColAct.MUNI, s=municipality.id))  # fmt: skip
    kb.adjust(1)
    return kb.as_markup()


def skip_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("No template"), callback_data=ColCb(act=ColAct.SKIP))
    return kb.as_markup()


def org_kb(collection: Collection, org: CollectionOrg) -> InlineKeyboardMarkup:
    """The moves from the current state: forward, and one step back (confirmed)."""
    kb = InlineKeyboardBuilder()
    moves = {
        OrgState.NOT_STARTED: [(_("▶️ In progress"), OrgState.IN_PROGRESS),
                               (_("✅ Submitted"), OrgState.SUBMITTED)],
        OrgState.IN_PROGRESS: [(_("✅ Submitted"), OrgState.SUBMITTED),
                               (_("↩️ Not started"), OrgState.NOT_STARTED)],
        OrgState.SUBMITTED: [(_("↩️ In progress"), OrgState.IN_PROGRESS)],
    }  # fmt: skip
    c, s = collection.id, org.school_id
    for text, state in moves[OrgState(org.state)]:
        kb.button(text=text, callback_data=ColCb(act=ColAct.SET, c=c, s=s, st=STATE_CODES[state]))
    if collection.template_file_id:
        kb.button(text=_("📎 Template"), callback_data=ColCb(act=ColAct.TEMPLATE, c=c, s=s))
    kb.adjust(2)
    return kb.as_markup()


def confirm_kb(collection_id: int, school_id: int, state: OrgState) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("Yes, step back"), callback_data=ColCb(act=ColAct.SET, c=collection_id,
              s=school_id, st=STATE_CODES[state], ok=True))  # fmt: skip
    kb.button(text=_("Cancel"), callback_data=ColCb(act=ColAct.MINE, c=collection_id,
                                                    s=school_id))  # fmt: skip
    kb.adjust(2)
    return kb.as_markup()


def completeness_kb(own: Sequence[tuple[int, str]], coordinator: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for school_id, name in own:
        kb.button(text=_("✏️ Report: %(school)s") % {"school": name[:40]},
                  callback_data=CmpCb(act=CmpAct.REPORT, s=school_id))  # fmt: skip
    if coordinator:
        kb.button(text=_("📎 Upload a table"), callback_data=CmpCb(act=CmpAct.UPLOAD))
        kb.button(text=_("Blank table"), callback_data=CmpCb(act=CmpAct.BLANK))
        kb.button(text=_("📨 Remind the low ones"), callback_data=CmpCb(act=CmpAct.REMIND))
    kb.adjust(1)
    return kb.as_markup()
