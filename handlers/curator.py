"""/school: the school curator's home, students by grade, a student's card and claim code,
and the per-subject overview. Every button carries the school id; services check it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import curator as kbs
from handlers.ui import show
from services.curator import claims
from services.curator import school as curator
from services.curator.card import student_card
from services.curator.overview import school_overview
from services.people.identity import Identity
from services.reference.loader import ReferenceData
from services.rules.deadlines import shown_deadline
from ui.callbacks.curator import CurAct, CurCb
from ui.templating import local_datetime, render

router = Router(name=__name__)


def deadline_text(zone: str) -> Callable[[datetime | None], str]:
    """Deadlines read on the school's clock; one at midnight reads as 23:59 of the day before."""

    def text(deadline: datetime | None) -> str:
        if deadline is None:
            return "—"
        return local_datetime(shown_deadline(deadline, zone), zone, "d MMMM, HH:mm")

    return text


async def home_screen(
    session: AsyncSession, ident: Identity, school_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    school, grades = await curator.grade_counts(session, ident, school_id)
    text = render(
        "curator/home.html",
        school=school,
        grades=grades,
        total=sum(g.students for g in grades),
        with_telegram=sum(g.with_telegram for g in grades),
    )
    several = len(curator.curated_school_ids(ident)) > 1
    return text, kbs.home_kb(school.id, grades, several)


@router.message(Command("school"))
async def cmd_school(
    message: Message, session: AsyncSession, ident: Identity, state: FSMContext
) -> None:
    await state.clear()
    schools = await curator.curated_schools(session, ident)
    if len(schools) > 1:
        await message.answer(render("curator/schools.html"), reply_markup=kbs.schools_kb(schools))
        return
    text, markup = await home_screen(session, ident, schools[0].id)
    await message.answer(text, reply_markup=markup)


@router.callback_query(CurCb.filter(F.act == CurAct.SCHOOLS))
async def on_schools(cq: CallbackQuery, session: AsyncSession, ident: Identity) -> None:
    schools = await curator.curated_schools(session, ident)
    await show(cq, render("curator/schools.html"), kbs.schools_kb(schools))


@router.callback_query(CurCb.filter(F.act == CurAct.HOME))
async def on_home(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
) -> None:
    await state.set_state(None)  # leaving the upload step, keeping a ticked selection
    await show(cq, *await home_screen(session, ident, callback_data.school))


@router.callback_query(CurCb.filter(F.act == CurAct.GRADE))
async def on_grade(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
) -> None:
    page = await curator.students_page(
        session,
        ident,
        callback_data.school,
        grade=callback_data.grade,
        page=callback_data.page,
        now=clock.now(),
    )
    text = render("curator/students.html", page=page, size=curator.PAGE_SIZE)
    await show(cq, text, kbs.students_kb(page))


@router.callback_query(CurCb.filter(F.act == CurAct.STUDENT))
async def on_student(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    i18n: I18n,
) -> None:
    card = await student_card(
        session, ident, callback_data.school, callback_data.student, clock.now()
    )
    text = render("curator/student.html", card=card, locale=i18n.current_locale)
    grade = card.grade or callback_data.grade
    await show(cq, text, kbs.card_kb(card.school.id, card.id, grade, not card.has_telegram))


@router.callback_query(CurCb.filter(F.act == CurAct.CODE))
async def on_code(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    bot: Bot,
) -> None:
    school = await curator.open_school(session, ident, callback_data.school)
    issued = await claims.issue_code(session, ident, callback_data.student, clock.now())
    me = await bot.me()
    plain = issued.code.replace("-", "")
    link = f"https://t.me/{me.username}?start={claims.DEEP_LINK_PREFIX}{plain}"
    text = render(
        "curator/code.html", issued=issued, link=link if me.username else None, zone=school.zone
    )
    markup = kbs.card_kb(school.id, callback_data.student, callback_data.grade, offline=False)
    await show(cq, text, markup)


@router.callback_query(CurCb.filter(F.act == CurAct.OVERVIEW))
async def on_overview(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    ref: ReferenceData,
    i18n: I18n,
) -> None:
    overview = await school_overview(
        session, ident, callback_data.school, rules=ref.rules, now=clock.now()
    )
    zone = overview.school.zone
    text = render(
        "curator/overview.html",
        overview=overview,
        locale=i18n.current_locale,
        zone=zone,
        deadline=deadline_text(zone),
    )
    await show(cq, text, kbs.overview_kb(overview.school.id))
