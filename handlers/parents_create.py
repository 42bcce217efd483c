"""Adding a managed profile for a child under 14: name → school → grade."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.catalog_reasons import refusal_text
from handlers.keyboards import parents as kbs
from handlers.parents import ParentFlow, children_screen
from handlers.ui import show
from models.geo import School
from models.people import User
from services.errors import Refused
from services.parents import links as parents
from services.people import onboarding
from services.people.viewer import Viewer
from services.reference.loader import ReferenceData
from ui.callbacks.catalog import ParAct, ParCb
from ui.templating import render

router = Router(name=__name__)


@router.callback_query(ParCb.filter(F.act == ParAct.CREATE))
async def on_create(cq: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(ParentFlow.child_name)
    await show(cq, render("parents/create_name.html"), kbs.cancel_kb())


@router.message(ParentFlow.child_name, F.text, ~F.text.startswith("/"))
async def on_name(
    message: Message, session: AsyncSession, me: User, state: FSMContext, viewer: Viewer
) -> None:
    try:
        name = parents.clean_name(message.text or "")
    except Refused as refusal:
        await message.answer(refusal_text(refusal, viewer.zone))
        return
    await state.update_data(name=name)
    await state.set_state(ParentFlow.child_school)
    text, markup = await _schools(session, me, name, 0)
    await message.answer(text, reply_markup=markup)


async def _schools(
    session: AsyncSession, me: User, name: str, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    own = await session.get(School, me.school_id) if me.school_id is not None else None
    if own is None:
        raise Refused("cat_no_school")
    found = await onboarding.schools_page(session, own.municipality_id, page)
    markup = kbs.schools_kb(found, (own.id, own.name))
    return render("parents/create_school.html", name=name), markup


@router.callback_query(ParentFlow.child_school, ParCb.filter(F.act == ParAct.SCHOOLS))
async def on_schools_page(
    cq: CallbackQuery, callback_data: ParCb, session: AsyncSession, me: User, state: FSMContext
) -> None:
    name = str((await state.get_data()).get("name", ""))
    await show(cq, *await _schools(session, me, name, callback_data.pg))


@router.callback_query(ParentFlow.child_school, ParCb.filter(F.act == ParAct.SCHOOL))
async def on_school(cq: CallbackQuery, callback_data: ParCb, state: FSMContext) -> None:
    await state.update_data(school_id=callback_data.id)
    await state.set_state(ParentFlow.child_grade)
    name = str((await state.get_data()).get("name", ""))
    await show(cq, render("parents/create_grade.html", name=name), kbs.grades_kb())


@router.callback_query(ParentFlow.child_grade, ParCb.filter(F.act == ParAct.GRADE))
async def on_grade(
    cq: CallbackQuery,
    callback_data: ParCb,
    session: AsyncSession,
    me: User,
    state: FSMContext,
    clock: Clock,
    ref: ReferenceData,
) -> None:
    data = await state.get_data()
    child = await parents.create_child(
        session,
        me,
        str(data.get("name", "")),
        int(data.get("school_id", 0)),
        callback_data.id,
        clock.now(),
        ref.rules,
    )
    await state.clear()
    done = _("The profile of %(name)s is added. Open it to find olympiads and sign up.") % {
        "name": child.full_name
    }
    await show(cq, *await children_screen(session, me, done))


@router.callback_query(ParCb.filter(F.act.in_({ParAct.SCHOOLS, ParAct.SCHOOL, ParAct.GRADE})))
async def on_stale_step(cq: CallbackQuery) -> None:
    raise Refused("par_flow_stale")
