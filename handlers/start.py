"""/start: onboarding of a student or a parent, re-runnable to change the answers."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.command_menu import commands_for
from handlers.keyboards import onboarding as kbs
from handlers.menu import main_menu_kb
from handlers.refusals import reason_text
from handlers.states import Onboarding
from handlers.ui import show
from models.people import User
from services.errors import Refused
from services.people import onboarding
from services.people.identity import Identity
from services.people.viewer import Viewer
from ui.callbacks.foundation import OnbCb, OnbStep
from ui.templating import render

router = Router(name=__name__)


@router.message(CommandStart())
async def cmd_start(message: Message, state: FSMContext) -> None:
    await state.clear()
    await state.set_state(Onboarding.answering)
    await message.answer(render("start/language.html"), reply_markup=kbs.languages_kb())


@router.callback_query(Onboarding.answering, OnbCb.filter(F.step == OnbStep.LANG))
async def on_language(cq: CallbackQuery, callback_data: OnbCb, me: User, i18n: I18n) -> None:
    onboarding.set_locale(me, callback_data.value, i18n.available_locales)
    with i18n.use_locale(callback_data.value):
        await show(cq, render("start/kind.html"), kbs.kinds_kb())


@router.callback_query(Onboarding.answering, OnbCb.filter(F.step == OnbStep.KIND))
async def on_kind(
    cq: CallbackQuery, callback_data: OnbCb, me: User, session: AsyncSession, i18n: I18n
) -> None:
    onboarding.set_kind(me, callback_data.value)
    page = await onboarding.regions_page(session, 0, i18n.current_locale)
    await show(cq, render("start/region.html", empty=not page.items), kbs.regions_kb(page))


@router.callback_query(Onboarding.answering, OnbCb.filter(F.step == OnbStep.REGIONS))
async def on_regions_page(
    cq: CallbackQuery, callback_data: OnbCb, session: AsyncSession, i18n: I18n
) -> None:
    page = await onboarding.regions_page(session, callback_data.page, i18n.current_locale)
    await show(cq, render("start/region.html", empty=not page.items), kbs.regions_kb(page))


@router.callback_query(Onboarding.answering, OnbCb.filter(F.step == OnbStep.REGION))
async def on_region(cq: CallbackQuery, callback_data: OnbCb, session: AsyncSession) -> None:
    page = await onboarding.municipalities_page(session, callback_data.id, callback_data.page)
    await show(cq, render("start/municipality.html"), kbs.municipalities_kb(page))


@router.callback_query(Onboarding.answering, OnbCb.filter(F.step == OnbStep.MUNI))
async def on_municipality(cq: CallbackQuery, callback_data: OnbCb, session: AsyncSession) -> None:
    page = await onboarding.schools_page(session, callback_data.id, callback_data.page)
    municipality = await onboarding.municipality(session, callback_data.id)
    await show(cq, render("start/school.html"), kbs.schools_kb(page, municipality.region_id))


@router.callback_query(Onboarding.answering, OnbCb.filter(F.step == OnbStep.SCHOOL))
async def on_school(
    cq: CallbackQuery, callback_data: OnbCb, session: AsyncSession, me: User
) -> None:
    school = await onboarding.set_school(session, me, callback_data.id)
    text = render("start/grade.html", school=school.name, parent=me.kind == "parent")
    await show(cq, text, kbs.grades_kb())


@router.callback_query(Onboarding.answering, OnbCb.filter(F.step == OnbStep.GRADE))
async def on_grade(
    cq: CallbackQuery,
    callback_data: OnbCb,
    session: AsyncSession,
    me: User,
    ident: Identity,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
    state: FSMContext,
) -> None:
    await onboarding.set_grade(me, callback_data.id, clock.now())
    await state.clear()
    info = await onboarding.profile(session, me, i18n.current_locale, viewer.zone)
    text = render("start/welcome.html", profile=info, commands=commands_for(ident))
    await show(cq, text, None)
    if isinstance(cq.message, Message):
        await cq.message.answer(
            _("The main menu is below the input field."), reply_markup=main_menu_kb()
        )


# A button of a /start that is over (finished, or replaced by a newer /start): it would redraw
# a screen, or change the person's language or kind, out of nowhere. Refused in their language.
@router.callback_query(OnbCb.filter())
async def on_refused_step(cq: CallbackQuery) -> None:
    await cq.answer(reason_text(Refused("stale_choice")), show_alert=True)
