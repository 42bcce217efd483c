"""Linking by code: the child shows a code (/parentcode), the parent types it in (/children)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.catalog_reasons import refusal_text
from handlers.keyboards import parents as kbs
from handlers.parents import ParentFlow, children_screen
from handlers.ui import show
from models.people import User
from services.errors import Refused
from services.parents import links as parents
from services.parents.codes import issue_code
from services.parents.unlink import unlink
from services.people.viewer import Viewer
from services.reference.loader import ReferenceData
from ui.callbacks.catalog import ParAct, ParCb
from ui.templating import render

router = Router(name=__name__)
# Wrong codes allowed in one go; a code space of 31⁸ makes guessing hopeless anyway.
MAX_TRIES = 5


@router.callback_query(ParCb.filter(F.act == ParAct.LINK))
async def on_link(cq: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(ParentFlow.code)
    await state.update_data(tries=0)
    await show(cq, render("parents/link_prompt.html"), kbs.cancel_kb())


@router.message(ParentFlow.code, F.text, ~F.text.startswith("/"))
async def on_code(
    message: Message,
    session: AsyncSession,
    me: User,
    state: FSMContext,
    clock: Clock,
    ref: ReferenceData,
    viewer: Viewer,
) -> None:
    try:
        child = await parents.link_by_code(session, me, message.text or "", clock.now(), ref.rules)
    except Refused as refusal:
        tries = int((await state.get_data()).get("tries", 0)) + 1
        if tries >= MAX_TRIES:
            await state.clear()
            await message.answer(
                _(
                    "Too many wrong codes. Ask your child for a new one and "
                    "start again with /children."
                )
            )
            return
        await state.update_data(tries=tries)
        await message.answer(refusal_text(refusal, viewer.zone), reply_markup=kbs.cancel_kb())
        return
    await state.clear()
    done = _("%(name)s is linked to your account.") % {"name": child.full_name}
    text, markup = await children_screen(session, me, done)
    await message.answer(text, reply_markup=markup)


async def code_screen(
    session: AsyncSession, me: User, clock: Clock, viewer: Viewer
) -> tuple[str, InlineKeyboardMarkup]:
    issued = await issue_code(session, me, clock.now())
    linked = await parents.parents_of_child(session, me.id)
    zone = viewer.zone
    text = render(
        "parents/code.html",
        code=issued.code,
        expires=issued.expires_at,
        zone=zone,
        parents=linked,
    )
    return text, kbs.code_kb(linked)


@router.message(Command("parentcode"))
async def cmd_parentcode(
    message: Message, session: AsyncSession, me: User, clock: Clock, viewer: Viewer
) -> None:
    text, markup = await code_screen(session, me, clock, viewer)
    await message.answer(text, reply_markup=markup)


@router.callback_query(ParCb.filter(F.act == ParAct.NEW_CODE))
async def on_new_code(
    cq: CallbackQuery, session: AsyncSession, me: User, clock: Clock, viewer: Viewer
) -> None:
    await show(cq, *await code_screen(session, me, clock, viewer))


@router.callback_query(ParCb.filter(F.act == ParAct.DROP_PARENT))
async def on_drop_parent(
    cq: CallbackQuery, callback_data: ParCb, session: AsyncSession, me: User
) -> None:
    found = [p for p in await parents.parents_of_child(session, me.id) if p.id == callback_data.id]
    if not found:
        raise Refused("par_link_gone")
    markup = kbs.confirm_kb(
        ParCb(act=ParAct.DROP_PARENT_OK, id=callback_data.id), ParCb(act=ParAct.NEW_CODE)
    )
    await show(cq, render("parents/drop_confirm.html", name=found[0].name), markup)


@router.callback_query(ParCb.filter(F.act == ParAct.DROP_PARENT_OK))
async def on_drop_parent_ok(
    cq: CallbackQuery,
    callback_data: ParCb,
    session: AsyncSession,
    me: User,
    clock: Clock,
    viewer: Viewer,
    ref: ReferenceData,
) -> None:
    await unlink(session, me, callback_data.id, me.id, clock.now(), ref.rules)
    await show(cq, *await code_screen(session, me, clock, viewer))
