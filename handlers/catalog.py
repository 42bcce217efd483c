"""/events: the catalog of olympiads open to me (or to my child), with filters and pages."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.school_year import school_year_label, school_year_of
from handlers.keyboards import catalog as kbs
from handlers.ui import show
from models.enums import EventStatus, Level, PersonKind
from models.people import User
from services.catalog import listing as catalog
from services.parents import links as parents
from services.people.viewer import Viewer
from services.reference.loader import ReferenceData
from ui.callbacks.catalog import CatAct, CatCb, FilterKind, LevelF, StatusF
from ui.templating import render

router = Router(name=__name__)

LEVELS = {
    LevelF.SCHOOL: Level.SCHOOL,
    LevelF.MUNICIPAL: Level.MUNICIPAL,
    LevelF.REGIONAL: Level.REGIONAL,
}
STATUSES = {
    StatusF.REGISTRATION: EventStatus.REGISTRATION,
    StatusF.CONDUCTING: EventStatus.CONDUCTING,
    StatusF.SUMMARIZING: EventStatus.SUMMARIZING,
    StatusF.FINISHED: EventStatus.FINISHED,
    StatusF.CANCELLED: EventStatus.CANCELLED,
}


def _filter(view: CatCb) -> catalog.CatalogFilter:
    return catalog.CatalogFilter(
        level=LEVELS.get(view.lv), subject_id=view.sj or None, status=STATUSES.get(view.st)
    )


async def list_screen(  # noqa: PLR0913 - the screen's inputs, all from the update's context
    session: AsyncSession,
    me: User,
    view: CatCb,
    viewer: Viewer,
    locale: str,
    ref: ReferenceData,
) -> tuple[str, InlineKeyboardMarkup]:
    student = await parents.acting_for(session, me, view.ch)
    today = viewer.today
    window = catalog.RegistrationWindow(viewer.now, ref.rules, viewer.default_zone)
    page = await catalog.catalog_page(
        session, student, _filter(view), view.pg, today, locale, window=window
    )
    subject = page.items[0].subject if view.sj and page.items else None
    labels = [
        str(kbs.LEVEL_LABELS[view.lv]),
        subject or _("every subject"),
        str(kbs.STATUS_LABELS[view.st]),
    ]
    text = render(
        "catalog/list.html",
        page=page,
        first=page.page * catalog.PAGE_SIZE,
        child=student.full_name if student.id != me.id else None,
        grade=student.grade,
        year=school_year_label(school_year_of(today)),
        filtered=view.lv != LevelF.ALL or bool(view.sj) or view.st != StatusF.ALL,
        filters=" · ".join(labels),
    )
    several = me.kind == PersonKind.PARENT and len(await parents.children_of(session, me.id)) > 1
    return text, kbs.list_kb(page, view, subject or _("every subject"), several)


@router.message(Command("events"))
async def cmd_events(
    message: Message,
    session: AsyncSession,
    me: User,
    viewer: Viewer,
    i18n: I18n,
    ref: ReferenceData,
) -> None:
    view = CatCb(act=CatAct.LIST)
    if me.kind == PersonKind.PARENT:
        children = await parents.children_of(session, me.id)
        if len(children) > 1:
            await message.answer(
                render("catalog/children.html", purpose="catalog"),
                reply_markup=kbs.children_kb(children, status=False),
            )
            return
        if children:
            view = CatCb(act=CatAct.LIST, ch=children[0].id)
    locale = i18n.current_locale
    text, markup = await list_screen(session, me, view, viewer, locale, ref)
    await message.answer(text, reply_markup=markup)


@router.callback_query(CatCb.filter(F.act == CatAct.LIST))
async def on_list(
    cq: CallbackQuery,
    callback_data: CatCb,
    session: AsyncSession,
    me: User,
    viewer: Viewer,
    i18n: I18n,
    ref: ReferenceData,
) -> None:
    view = callback_data.model_copy(update={"fk": FilterKind.NONE, "ev": 0})
    locale = i18n.current_locale
    await show(cq, *await list_screen(session, me, view, viewer, locale, ref))


@router.callback_query(CatCb.filter(F.act == CatAct.CHILDREN))
async def on_children(cq: CallbackQuery, session: AsyncSession, me: User) -> None:
    children = await parents.children_of(session, me.id)
    await show(
        cq,
        render("catalog/children.html", purpose="catalog"),
        kbs.children_kb(children, status=False),
    )


@router.callback_query(CatCb.filter(F.act == CatAct.FILTER))
async def on_filter(
    cq: CallbackQuery,
    callback_data: CatCb,
    session: AsyncSession,
    me: User,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    view = callback_data
    back = view.model_copy(update={"act": CatAct.LIST, "pg": 0, "fk": FilterKind.NONE})
    options: list[tuple[str, CatCb, bool]]
    if view.fk == FilterKind.LEVEL:
        options = [
            (str(label), back.model_copy(update={"lv": value}), value == view.lv)
            for value, label in kbs.LEVEL_LABELS.items()
        ]
    elif view.fk == FilterKind.STATUS:
        options = [
            (str(label), back.model_copy(update={"st": value}), value == view.st)
            for value, label in kbs.STATUS_LABELS.items()
        ]
    else:
        student = await parents.acting_for(session, me, view.ch)
        subjects = await catalog.subjects_open(session, student, viewer.today, i18n.current_locale)
        options = [(_("every subject"), back.model_copy(update={"sj": 0}), not view.sj)]
        options += [
            (name, back.model_copy(update={"sj": sid}), sid == view.sj) for sid, name in subjects
        ]
    await show(cq, render("catalog/filter.html", kind=view.fk.value), kbs.filter_kb(view, options))
