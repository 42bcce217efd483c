"""/steps for a municipal office or a regional centre: the steps it does itself (Паспорт школы's
`МОУО` and `РЦОИ` rows), marked done by the holder of its role (with the signed form where the
step needs one). Those who watch it from above see the card without the button."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from handlers.calendar_steps import calendar_of
from handlers.keyboards import calendar_steps as kbs
from handlers.refusals import reason_text
from handlers.states import CalendarStepsFlow
from handlers.ui import show
from models.people import User
from reminders.views import when_line
from services.authz import authorize
from services.calendar_steps.marks import SignedForm
from services.calendar_steps.monitor import monitor_scopes
from services.calendar_steps.offices import (
    KIND_OF_LETTER,
    MARK_ACTION,
    Office,
    find_office_line,
    mark_office_done,
    may_mark,
    office_board,
    office_of,
)
from services.errors import Refused
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.reference.reference_data import ReferenceData
from ui.callbacks.calendar_steps import CoAct, CoCb
from ui.templating import render

router = Router(name=__name__)
PAGE = 8


async def _open(
    session: AsyncSession, ident: Identity, ref: ReferenceData, cb: CoCb
) -> tuple[Calendar, Office, bool]:
    """The calendar and office of a button, and whether I mark its steps (True) or watch it
    from above (False); anyone else is refused, whatever the button says."""
    calendar = calendar_of(ref, cb.cal)
    kind = KIND_OF_LETTER.get(cb.org)
    if kind is None:
        raise Refused("stale_choice")
    office = await office_of(session, kind, cb.id)
    if may_mark(ident, office, calendar.code):
        return calendar, office, True
    if any(office.scope.within(scope) for scope in monitor_scopes(ident, calendar.code)):
        return calendar, office, False
    raise Refused("forbidden")


@router.callback_query(CoCb.filter(F.act == CoAct.BOARD))
async def on_office_board(
    cq: CallbackQuery, callback_data: CoCb, session: AsyncSession, ident: Identity,
    ref: ReferenceData, viewer: Viewer,
) -> None:  # fmt: skip
    cb = callback_data
    calendar, office, _mine = await _open(session, ident, ref, cb)
    lines = await office_board(session, calendar, office, viewer.now)
    lines.sort(key=lambda ln: (ln.done, ln.item.step.due_at, ln.item.item))
    pages = max(1, -(-len(lines) // PAGE))
    page = min(cb.page, pages - 1)
    shown = lines[page * PAGE : (page + 1) * PAGE]
    rows = []
    for i, line in enumerate(shown):
        overdue = line.item.step.due_at <= viewer.now
        rows.append(
            {
                "n": page * PAGE + i + 1,
                "icon": "✅" if line.done else ("❗" if overdue else "⏳"),
                "title": kbs.short(line.item.title(viewer.locale), 160),
                "subject": "",
                "when": when_line(line.item.step.due_at, line.item.step.zone, viewer.zone),
            }
        )
    buttons = [
        (f"{row['n']}. {row['icon']} {row['title']}",
         CoCb(act=CoAct.STEP, cal=cb.cal, org=cb.org, id=cb.id, item=line.item.item))
        for row, line in zip(rows, shown, strict=True)
    ]  # fmt: skip
    text = render(
        "calendar_steps/board.html", calendar=calendar.title_in(viewer.locale), school=office.name,
        rows=rows, done=sum(1 for ln in lines if ln.done), total=len(lines),
    )  # fmt: skip
    base = CoCb(act=CoAct.BOARD, cal=cb.cal, org=cb.org, id=cb.id)
    await show(cq, text, kbs.office_board_kb(buttons, base, page, pages))


async def _card(
    session: AsyncSession, ident: Identity, ref: ReferenceData, cb: CoCb, viewer: Viewer
) -> tuple[str, InlineKeyboardMarkup]:
    calendar, office, mine = await _open(session, ident, ref, cb)
    line = await find_office_line(session, calendar, office, cb.item, viewer.now)
    mark = line.mark
    by = await session.get(User, mark.done_by_id) if mark and mark.done_by_id else None
    text = render(
        "calendar_steps/step.html",
        calendar=calendar.title_in(viewer.locale),
        school=office.name,
        title=line.item.title(viewer.locale),
        subject="",
        when=when_line(line.item.step.due_at, line.item.step.zone, viewer.zone),
        markable=True,
        signed_form=line.item.rule.signed_form,
        done_at=when_line(mark.done_at, None, viewer.zone) if mark else "",
        done_by=by.full_name if by else "",
        file_name=(mark.file_name or "") if mark else "",
    )
    return text, kbs.office_step_kb(cb, mine and not line.done)


@router.callback_query(CoCb.filter(F.act == CoAct.STEP))
async def on_office_step(
    cq: CallbackQuery, callback_data: CoCb, session: AsyncSession, ident: Identity,
    ref: ReferenceData, viewer: Viewer,
) -> None:  # fmt: skip
    await show(cq, *await _card(session, ident, ref, callback_data, viewer))


@router.callback_query(CoCb.filter(F.act == CoAct.DONE))
async def on_office_done(
    cq: CallbackQuery, callback_data: CoCb, session: AsyncSession, ident: Identity,
    ref: ReferenceData, viewer: Viewer, state: FSMContext,
) -> None:  # fmt: skip
    cb = callback_data
    calendar, office, _mine = await _open(session, ident, ref, cb)
    line = await find_office_line(session, calendar, office, cb.item, viewer.now)
    if line.item.rule.signed_form and not line.done:
        # Checked now as well, so that nobody is asked for a file they may not send.
        authorize(ident, MARK_ACTION[office.org_kind], office.scope, calendar=calendar.code)
        await state.set_state(CalendarStepsFlow.waiting_office_form)
        await state.update_data(co=cb.pack())
        text = render("calendar_steps/ask_form.html", title=line.item.title(viewer.locale))
        await show(cq, text)
        return
    await mark_office_done(session, ident, calendar, office, cb.item, viewer.now)
    text, markup = await _card(session, ident, ref, cb, viewer)
    await cq.answer(_("Marked done."))
    await show(cq, text, markup, answered=True)


@router.message(CalendarStepsFlow.waiting_office_form, F.document)
async def on_office_form(
    message: Message, session: AsyncSession, ident: Identity, ref: ReferenceData,
    viewer: Viewer, state: FSMContext,
) -> None:  # fmt: skip
    document = message.document
    assert document is not None
    cb = CoCb.unpack(str((await state.get_data()).get("co", "")))
    calendar, office, _mine = await _open(session, ident, ref, cb)
    form = SignedForm(document.file_id, document.file_name or "form")
    await mark_office_done(session, ident, calendar, office, cb.item, viewer.now, form)
    await state.clear()
    text, markup = await _card(session, ident, ref, cb, viewer)
    await message.answer(
        _("✅ Marked done, the signed form is kept.") + "\n\n" + text, reply_markup=markup
    )


@router.message(CalendarStepsFlow.waiting_office_form, ~F.text.startswith("/"))
async def on_office_not_a_form(message: Message) -> None:
    await message.answer(reason_text(Refused("step_form_not_document")))
