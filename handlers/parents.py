"""/children: a parent's linked children, and removing a link from the parent's side."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import parents as kbs
from handlers.ui import show
from models.people import User
from services.errors import Refused
from services.parents import links as parents
from services.parents.unlink import unlink
from services.reference.loader import ReferenceData
from ui.callbacks.catalog import ParAct, ParCb
from ui.templating import render

router = Router(name=__name__)


class ParentFlow(StatesGroup):
    code = State()
    child_name = State()
    child_school = State()
    child_grade = State()


async def children_screen(
    session: AsyncSession, me: User, done: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    children = await parents.children_of(session, me.id)
    return render("parents/children.html", children=children, done=done), kbs.children_kb(children)


async def _child(session: AsyncSession, me: User, child_id: int) -> parents.ChildInfo:
    for child in await parents.children_of(session, me.id):
        if child.id == child_id:
            return child
    raise Refused("par_not_your_child")


@router.message(Command("children"))
async def cmd_children(
    message: Message, session: AsyncSession, me: User, state: FSMContext
) -> None:
    await state.clear()
    text, markup = await children_screen(session, me)
    await message.answer(text, reply_markup=markup)


@router.callback_query(ParCb.filter(F.act == ParAct.LIST))
async def on_list(cq: CallbackQuery, session: AsyncSession, me: User, state: FSMContext) -> None:
    await state.clear()
    await show(cq, *await children_screen(session, me))


@router.callback_query(ParCb.filter(F.act == ParAct.CHILD))
async def on_child(
    cq: CallbackQuery, callback_data: ParCb, session: AsyncSession, me: User
) -> None:
    child = await _child(session, me, callback_data.id)
    await show(cq, render("parents/child.html", child=child), kbs.child_kb(child))


@router.callback_query(ParCb.filter(F.act == ParAct.UNLINK))
async def on_unlink(
    cq: CallbackQuery, callback_data: ParCb, session: AsyncSession, me: User
) -> None:
    child = await _child(session, me, callback_data.id)
    text = render("parents/unlink_confirm.html", name=child.name, managed=child.managed)
    markup = kbs.confirm_kb(
        ParCb(act=ParAct.UNLINK_OK, id=child.id), ParCb(act=ParAct.CHILD, id=child.id)
    )
    await show(cq, text, markup)


@router.callback_query(ParCb.filter(F.act == ParAct.UNLINK_OK))
async def on_unlink_ok(
    cq: CallbackQuery,
    callback_data: ParCb,
    session: AsyncSession,
    me: User,
    clock: Clock,
    ref: ReferenceData,
) -> None:
    gone = await unlink(session, me, me.id, callback_data.id, clock.now(), ref.rules)
    if gone.profile_erased:
        done = _("The profile of %(name)s is deleted.") % {"name": gone.child_name}
    else:
        done = _("The link with %(name)s is removed.") % {"name": gone.child_name}
    await show(cq, *await children_screen(session, me, done))
