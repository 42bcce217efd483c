"""/steps: the schools' data calendars (Паспорт школы, ВПР): a school's responsible person marks
its steps done (with the signed form when needed), the municipal office and the regional
centre see the schools that lag. The ВПР plan-schedule upload (/vpr) is in `calendar_plan`."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from handlers.keyboards import calendar_steps as kbs
from handlers.refusals import reason_text
from handlers.states import CalendarStepsFlow
from handlers.ui import show
from models.people import User
from reminders.views import when_line
from services.authz import Action, authorize
from services.calendar_steps.board import Line, boards
from services.calendar_steps.items import CALENDARS
from services.calendar_steps.marks import SignedForm, find_line, mark_done, operator_schools
from services.calendar_steps.marks import school_place as place_of
from services.calendar_steps.monitor import lagging, may_monitor, monitor_scopes, open_school
from services.calendar_steps.muting import is_muted, toggle_mute
from services.calendar_steps.offices import has_own_steps, my_offices
from services.errors import Refused
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.reference.reference_data import ReferenceData
from ui.callbacks.calendar_steps import CALENDAR_LETTERS, LETTER_OF, CoAct, CoCb, CsAct, CsCb
from ui.templating import render

router = Router(name=__name__)
BOARD_PAGE = 8
LAG_PAGE = 10


def calendar_of(ref: ReferenceData, letter: str) -> Calendar:
    """The calendar a button names by its letter; a letter no longer served is refused."""
    code = CALENDAR_LETTERS.get(letter)
    if code is None or code not in ref.calendars:
        raise Refused("stale_choice")
    return ref.calendars[code]


async def _menu(
    session: AsyncSession, ident: Identity, ref: ReferenceData, locale: str
) -> list[tuple[str, CsCb | CoCb]]:
    entries: list[tuple[str, CsCb | CoCb]] = []
    for code in CALENDARS:
        if code not in ref.calendars:
            continue
        calendar, letter = ref.calendars[code], LETTER_OF[code]
        for place in await operator_schools(session, ident, code):
            label = f"📝 {calendar.short_title_in(locale)} · {place.name}"
            entries.append((label, CsCb(act=CsAct.BOARD, cal=letter, school=place.school_id)))
        if may_monitor(ident) and monitor_scopes(ident, code):
            label = _("📊 %(calendar)s: schools") % {"calendar": calendar.short_title_in(locale)}
            entries.append((label, CsCb(act=CsAct.LAG, cal=letter)))
        # The office's or the centre's own steps, after the schools it watches.
        for office in await my_offices(session, ident, code):
            if has_own_steps(calendar, office):
                label = f"📝 {calendar.short_title_in(locale)} · {office.name}"
                entries.append((label, CoCb(act=CoAct.BOARD, cal=letter, org=office.letter,
                                            id=office.org_id)))  # fmt: skip
    return entries


@router.message(Command("steps"))
async def cmd_steps(
    message: Message, session: AsyncSession, ident: Identity, i18n: I18n, ref: ReferenceData,
    state: FSMContext,
) -> None:  # fmt: skip
    await state.clear()
    entries = await _menu(session, ident, ref, i18n.current_locale)
    if not entries:
        await message.answer(reason_text(Refused("steps_no_role")))
        return
    await message.answer(render("calendar_steps/menu.html"), reply_markup=kbs.menu_kb(entries))


@router.callback_query(CsCb.filter(F.act == CsAct.CALENDARS))
async def on_calendars(
    cq: CallbackQuery, session: AsyncSession, ident: Identity, i18n: I18n, ref: ReferenceData
) -> None:
    entries = await _menu(session, ident, ref, i18n.current_locale)
    await show(cq, render("calendar_steps/menu.html"), kbs.menu_kb(entries))


def _icon(line: Line, viewer: Viewer) -> str:
    if line.done:
        return "✅"
    if not line.item.markable:
        return "ℹ️"
    return "❗" if line.item.step.due_at <= viewer.now else "⏳"


async def _board(
    session: AsyncSession, ident: Identity, ref: ReferenceData, cb: CsCb, viewer: Viewer
) -> tuple[str, object]:
    calendar = calendar_of(ref, cb.cal)
    place, _mine = await open_school(session, ident, calendar.code, cb.school)
    lines = (await boards(session, calendar, [place], viewer.now))[place.school_id]
    lines.sort(key=lambda ln: (ln.done, ln.item.step.due_at, ln.item.item))
    pages = max(1, -(-len(lines) // BOARD_PAGE))
    page = min(cb.page, pages - 1)
    shown = lines[page * BOARD_PAGE : (page + 1) * BOARD_PAGE]
    locale = viewer.locale
    rows = [
        {
            "n": page * BOARD_PAGE + i + 1,
            "icon": _icon(line, viewer),
            "title": kbs.short(line.item.title(locale), 160),
            "subject": f"{line.item.work.subject}, {line.item.work.grade}"
            if line.item.work
            else "",
            "when": when_line(line.item.step.due_at, line.item.step.zone, viewer.zone),
        }
        for i, line in enumerate(shown)
    ]
    buttons = [
        (f"{row['n']}. {row['icon']} " + (f"{row['subject']}: " if row["subject"] else "")
         + str(row["title"]),
         CsCb(act=CsAct.STEP, cal=cb.cal, school=place.school_id, item=line.item.item))
        for row, line in zip(rows, shown, strict=True)
    ]  # fmt: skip
    text = render(
        "calendar_steps/board.html", calendar=calendar.title_in(locale), school=place.name,
        rows=rows, done=sum(1 for ln in lines if ln.done), total=len(lines),
    )  # fmt: skip
    muted = await is_muted(session, ident.user.id, calendar.code)
    base = CsCb(act=CsAct.BOARD, cal=cb.cal, school=place.school_id)
    return text, kbs.board_kb(buttons, base, page, pages, muted)


@router.callback_query(CsCb.filter(F.act == CsAct.BOARD))
async def on_board(
    cq: CallbackQuery, callback_data: CsCb, session: AsyncSession, ident: Identity,
    ref: ReferenceData, viewer: Viewer,
) -> None:  # fmt: skip
    text, markup = await _board(session, ident, ref, callback_data, viewer)
    await show(cq, text, markup)  # type: ignore[arg-type]


async def _step_text(
    session: AsyncSession, ident: Identity, ref: ReferenceData, cb: CsCb, viewer: Viewer
) -> tuple[str, object]:
    calendar = calendar_of(ref, cb.cal)
    place, mine = await open_school(session, ident, calendar.code, cb.school)
    line = await find_line(session, calendar, place, cb.item, viewer.now)
    mark = line.mark
    by = await session.get(User, mark.done_by_id) if mark and mark.done_by_id else None
    text = render(
        "calendar_steps/step.html",
        calendar=calendar.title_in(viewer.locale),
        school=place.name,
        title=line.item.title(viewer.locale),
        subject=f"{line.item.work.subject}, {line.item.work.grade}" if line.item.work else "",
        when=when_line(line.item.step.due_at, line.item.step.zone, viewer.zone),
        markable=line.item.markable,
        signed_form=line.item.rule.signed_form,
        done_at=when_line(mark.done_at, None, viewer.zone) if mark else "",
        done_by=by.full_name if by else "",
        file_name=(mark.file_name or "") if mark else "",
    )
    return text, kbs.step_kb(cb, mine and line.item.markable and not line.done)


@router.callback_query(CsCb.filter(F.act == CsAct.STEP))
async def on_step(
    cq: CallbackQuery, callback_data: CsCb, session: AsyncSession, ident: Identity,
    ref: ReferenceData, viewer: Viewer,
) -> None:  # fmt: skip
    text, markup = await _step_text(session, ident, ref, callback_data, viewer)
    await show(cq, text, markup)  # type: ignore[arg-type]


@router.callback_query(CsCb.filter(F.act == CsAct.DONE))
async def on_done(
    cq: CallbackQuery, callback_data: CsCb, session: AsyncSession, ident: Identity,
    ref: ReferenceData, viewer: Viewer, state: FSMContext,
) -> None:  # fmt: skip
    calendar = calendar_of(ref, callback_data.cal)
    place = await place_of(session, callback_data.school)
    line = await find_line(session, calendar, place, callback_data.item, viewer.now)
    if line.item.rule.signed_form and not line.done:
        # Checked now as well, so that nobody is asked for a file they may not send.
        authorize(ident, Action.MARK_STEP, place.scope, calendar=calendar.code)
        await state.set_state(CalendarStepsFlow.waiting_form)
        await state.update_data(cs=callback_data.pack())
        await show(
            cq, render("calendar_steps/ask_form.html", title=line.item.title(viewer.locale))
        )
        return
    await mark_done(session, ident, calendar, place.school_id, callback_data.item, viewer.now)
    text, markup = await _step_text(session, ident, ref, callback_data, viewer)
    await cq.answer(_("Marked done."))
    await show(cq, text, markup, answered=True)  # type: ignore[arg-type]


@router.message(CalendarStepsFlow.waiting_form, F.document)
async def on_form(
    message: Message, session: AsyncSession, ident: Identity, ref: ReferenceData,
    viewer: Viewer, state: FSMContext,
) -> None:  # fmt: skip
    document = message.document
    assert document is not None
    cb = CsCb.unpack(str((await state.get_data()).get("cs", "")))
    calendar = calendar_of(ref, cb.cal)
    form = SignedForm(document.file_id, document.file_name or "form")
    await mark_done(session, ident, calendar, cb.school, cb.item, viewer.now, form)
    await state.clear()
    text, markup = await _step_text(session, ident, ref, cb, viewer)
    await message.answer(_("✅ Marked done, the signed form is kept.") + "\n\n" + text,
                         reply_markup=markup)  # type: ignore[arg-type]  # fmt: skip


@router.message(CalendarStepsFlow.waiting_form, ~F.text.startswith("/"))
async def on_not_a_form(message: Message) -> None:
    await message.answer(reason_text(Refused("step_form_not_document")))


@router.callback_query(CsCb.filter(F.act == CsAct.LAG))
async def on_lag(
    cq: CallbackQuery, callback_data: CsCb, session: AsyncSession, ident: Identity,
    ref: ReferenceData, viewer: Viewer,
) -> None:  # fmt: skip
    calendar = calendar_of(ref, callback_data.cal)
    lags = await lagging(session, ident, calendar, viewer.now)
    pages = max(1, -(-len(lags) // LAG_PAGE))
    page = min(callback_data.page, pages - 1)
    rows = [
        {
            "n": page * LAG_PAGE + i + 1,
            "school": kbs.short(lag.place.name, 80),
            "overdue": lag.overdue,
            "done": lag.done,
            "total": lag.total,
            "next": when_line(lag.next_due, None, viewer.zone) if lag.next_due else "",
        }
        for i, lag in enumerate(lags[page * LAG_PAGE : (page + 1) * LAG_PAGE])
    ]
    text = render(
        "calendar_steps/lagging.html", calendar=calendar.title_in(viewer.locale), rows=rows,
        schools=len(lags), behind=sum(1 for lag in lags if lag.overdue),
    )  # fmt: skip
    await show(cq, text, kbs.lag_kb(callback_data, page, pages))


@router.callback_query(CsCb.filter(F.act == CsAct.MUTE))
async def on_mute(
    cq: CallbackQuery, callback_data: CsCb, session: AsyncSession, ident: Identity,
    ref: ReferenceData, viewer: Viewer,
) -> None:  # fmt: skip
    calendar = calendar_of(ref, callback_data.cal)
    muted = await toggle_mute(session, ident.user.id, calendar.code, viewer.now)
    await cq.answer(_("No more reminders of this calendar.") if muted else _("Reminders are on."))
    board = CsCb(act=CsAct.BOARD, cal=callback_data.cal, school=callback_data.school)
    text, markup = await _board(session, ident, ref, board, viewer)
    await show(cq, text, markup, answered=True)  # type: ignore[arg-type]
