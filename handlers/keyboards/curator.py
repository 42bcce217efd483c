"""Keyboards of the school curator's screens."""

from __future__ import annotations

from collections.abc import Collection

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.keyboards.rows import own_row
from services.curator.events import EventItem
from services.curator.picking import CandidatesPage, GradeChoice
from services.curator.school import CuratedSchool, GradeCount, StudentsPage
from ui.callbacks.consent import ConAct, ConsentCb
from ui.callbacks.curator import CurAct, CurCb
from ui.templating import local_date

NAME_WIDTH = 40


def _cb(act: CurAct, school: int, **values: int) -> CurCb:
    return CurCb(act=act, school=school, **values)


def _back(kb: InlineKeyboardBuilder, act: CurAct, school: int, label: str, **v: int) -> None:
    own_row(kb, label, _cb(act, school, **v))


def _pager(kb: InlineKeyboardBuilder, page: int, pages: int, act: CurAct, **v: int) -> None:
    if pages <= 1:
        return
    nav = InlineKeyboardBuilder()
    if page > 0:
        nav.button(text="◀", callback_data=CurCb(act=act, page=page - 1, **v))
    nav.button(text=f"{page + 1}/{pages}", callback_data=CurCb(act=act, page=page, **v))
    if page < pages - 1:
        nav.button(text="▶", callback_data=CurCb(act=act, page=page + 1, **v))
    kb.attach(nav)


def schools_kb(schools: list[CuratedSchool]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for school in schools:
        kb.button(text=school.name[:60], callback_data=_cb(CurAct.HOME, school.id))
    kb.adjust(1)
    return kb.as_markup()


def home_kb(school_id: int, grades: list[GradeCount], several: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for item in grades:
        label = _("Grade %(grade)s · %(n)s") % {"grade": item.grade, "n": item.students}
        kb.button(text=label, callback_data=_cb(CurAct.GRADE, school_id, grade=item.grade))
    kb.adjust(3)
    actions = InlineKeyboardBuilder()
    actions.button(text=_("Register for an olympiad"), callback_data=_cb(CurAct.EVENTS, school_id))
    actions.button(text=_("Upload a list"), callback_data=_cb(CurAct.UPLOAD, school_id))
    actions.button(text=_("Overview by subject"), callback_data=_cb(CurAct.OVERVIEW, school_id))
    if several:
        actions.button(text=_("« Other school"), callback_data=_cb(CurAct.SCHOOLS, school_id))
    actions.adjust(1)
    kb.attach(actions)
    return kb.as_markup()


def students_kb(page: StudentsPage) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    school = page.school.id
    for item in page.items:
        mark = "📱 " if item.has_telegram else ""
        kb.button(
            text=f"{mark}{item.full_name[:NAME_WIDTH]}",
            callback_data=_cb(CurAct.STUDENT, school, student=item.id, grade=page.grade),
        )
    kb.adjust(1)
    _pager(kb, page.page, page.pages, CurAct.GRADE, school=school, grade=page.grade)
    _back(kb, CurAct.HOME, school, _("« School"))
    return kb.as_markup()


def card_kb(school_id: int, student_id: int, grade: int, offline: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if offline:
        kb.button(
            text=_("Give a claim code"),
            callback_data=_cb(CurAct.CODE, school_id, student=student_id, grade=grade),
        )
    _back(kb, CurAct.GRADE, school_id, _("« Grade %(grade)s") % {"grade": grade}, grade=grade)
    return kb.as_markup()


def events_kb(school_id: int, events: list[EventItem], locale: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for event in events:
        label = (
            f"{event.subject(locale)} · {local_date(event.days[0], 'd MMM')} · {event.registered}"
        )
        kb.button(text=label, callback_data=_cb(CurAct.EVENT, school_id, event=event.id))
    kb.adjust(1)
    _back(kb, CurAct.HOME, school_id, _("« School"))
    return kb.as_markup()


def event_grades_kb(
    school_id: int, event_id: int, grades: list[GradeChoice], chosen: int
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for item in grades:
        values = {"grade": item.grade, "reg": item.registered, "n": item.students}
        label = _("Grade %(grade)s · %(reg)s/%(n)s") % values
        cb = _cb(CurAct.TICKS, school_id, event=event_id, grade=item.grade)
        kb.button(text=label, callback_data=cb)
    kb.adjust(3)
    if chosen:
        _back(
            kb,
            CurAct.CONFIRM,
            school_id,
            _("Register selected (%(n)s)") % {"n": chosen},
            event=event_id,
        )
    _back(kb, CurAct.EVENTS, school_id, _("« Olympiads"))
    return kb.as_markup()


def ticks_kb(page: CandidatesPage, chosen: Collection[int]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    school, event = page.school.id, page.event.id
    where = {"event": event, "grade": page.grade, "page": page.page}
    for item in page.items:
        mark = "✅" if item.registered else ("☑️" if item.id in chosen else "⬜")
        kb.button(
            text=f"{mark} {item.full_name[:NAME_WIDTH]}",
            callback_data=_cb(CurAct.TICK, school, student=item.id, **where),
        )
    kb.adjust(1)
    _pager(kb, page.page, page.pages, CurAct.TICKS, school=school, event=event, grade=page.grade)
    _back(kb, CurAct.TICK_ALL, school, _("Select the whole grade"), **where)
    if chosen:
        _back(
            kb,
            CurAct.CONFIRM,
            school,
            _("Register selected (%(n)s)") % {"n": len(chosen)},
            event=event,
        )
    _back(kb, CurAct.EVENT, school, _("« Grades"), event=event)
    return kb.as_markup()


def confirm_kb(school_id: int, event_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=_("Yes, register"), callback_data=_cb(CurAct.REGISTER, school_id, event=event_id)
    )
    kb.button(text=_("« Back"), callback_data=_cb(CurAct.EVENT, school_id, event=event_id))
    kb.adjust(1)
    return kb.as_markup()


def overview_kb(school_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=_("📝 Parents' consents"), callback_data=ConsentCb(act=ConAct.SCHOOL, id=school_id)
    )
    kb.button(text=_("« School"), callback_data=_cb(CurAct.HOME, school_id))
    kb.adjust(1)
    return kb.as_markup()


def to_school_kb(school_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("« School"), callback_data=_cb(CurAct.HOME, school_id))
    return kb.as_markup()


def upload_schools_kb(schools: list[CuratedSchool]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for school in schools:
        kb.button(text=school.name[:60], callback_data=_cb(CurAct.UPLOAD, school.id))
    kb.adjust(1)
    return kb.as_markup()


def upload_kb(school_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("Download a template"), callback_data=_cb(CurAct.TEMPLATE, school_id))
    kb.button(text=_("« School"), callback_data=_cb(CurAct.HOME, school_id))
    kb.adjust(1)
    return kb.as_markup()
