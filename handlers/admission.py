"""/admit: form the next stage's participant list from the previous stage's results and last
year's winners; a preview first, nothing is registered before the organiser confirms."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import lazy_gettext as __
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from calendars.school_year import school_year_label
from handlers.audit import register_action_labels
from handlers.keyboards import results as kbs
from handlers.refusals import reason_text
from handlers.states_results import AdmissionFlow
from handlers.ui import show
from services.admission import lists as admission
from services.admission.imports import TEMPLATE_HEADERS, import_awards
from services.admission.sources import Target
from services.errors import Refused
from services.people.identity import Identity
from services.reference.loader import ReferenceData
from services.tabular.table import MAX_BYTES, TOO_LARGE
from services.tabular.xlsx_export import Sheet, build_workbook
from ui.callbacks.results import AdmAct, AdmCb
from ui.templating import render

router = Router(name=__name__)
REPORT_LIMIT = 15  # problems listed in the chat
register_action_labels({"awards_imported": __("Last year's winners imported")})


async def _preview(
    session: AsyncSession, ident: Identity, target: Target, i18n: I18n, clock: Clock,
    ref: ReferenceData,
) -> tuple[str, InlineKeyboardMarkup]:  # fmt: skip
    found = await admission.preview(
        session, ident, target, i18n.current_locale, now=clock.now(), day=ref.day
    )
    text = render(
        "admission/preview.html", preview=found, year=school_year_label(target.school_year)
    )
    return text, kbs.preview_kb(found, admission.scope_id(target))


@router.message(Command("admit"))
async def cmd_admit(
    message: Message, session: AsyncSession, ident: Identity, clock: Clock, i18n: I18n,
    ref: ReferenceData, state: FSMContext,
) -> None:  # fmt: skip
    await state.clear()
    found = await admission.targets(session, ident, clock.now())
    if len(found) == 1:
        text, markup = await _preview(session, ident, found[0], i18n, clock, ref)
        await message.answer(text, reply_markup=markup)
        return
    names = await admission.target_names(session, found)
    buttons = [
        (str(t.level), admission.scope_id(t), f"{kbs.level_label(t.level)}: {name}")
        for t, name in zip(found, names, strict=True)
    ]
    await message.answer(render("admission/choose.html"), reply_markup=kbs.targets_kb(buttons))


@router.callback_query(AdmCb.filter(F.act.in_({AdmAct.PREVIEW, AdmAct.COMMIT})))
async def on_preview(
    cq: CallbackQuery, callback_data: AdmCb, session: AsyncSession, ident: Identity,
    clock: Clock, i18n: I18n, ref: ReferenceData,
) -> None:  # fmt: skip
    now = clock.now()
    target = await admission.target_for(
        session, ident, now, callback_data.level, callback_data.scope_id
    )
    if callback_data.act == AdmAct.PREVIEW:
        await show(cq, *await _preview(session, ident, target, i18n, clock, ref))
        return
    done = await admission.commit(session, ident, target, now)
    markup = kbs.refresh_kb(callback_data.level, callback_data.scope_id)
    await show(cq, render("admission/done.html", done=done), markup)


@router.callback_query(AdmCb.filter(F.act == AdmAct.AWARDS))
async def on_ask_awards(
    cq: CallbackQuery, callback_data: AdmCb, session: AsyncSession, ident: Identity,
    clock: Clock, state: FSMContext,
) -> None:  # fmt: skip
    # Refused before the file is asked for: the list must be the person's to form.
    await admission.target_for(
        session, ident, clock.now(), callback_data.level, callback_data.scope_id
    )
    await state.set_state(AdmissionFlow.awards)
    await state.set_data({"level": callback_data.level, "scope_id": callback_data.scope_id})
    await show(cq, render("admission/ask_awards.html"))


@router.callback_query(AdmCb.filter(F.act == AdmAct.TEMPLATE))
async def on_template(cq: CallbackQuery) -> None:
    await cq.answer()
    if isinstance(cq.message, Message):
        blank = build_workbook([Sheet(title="Победители", headers=TEMPLATE_HEADERS, rows=[])])
        await cq.message.answer_document(BufferedInputFile(blank, "last-year-winners.xlsx"))


@router.message(AdmissionFlow.awards, F.document)
async def on_awards_file(
    message: Message, bot: Bot, session: AsyncSession, ident: Identity, clock: Clock,
    i18n: I18n, ref: ReferenceData, state: FSMContext,
) -> None:  # fmt: skip
    document = message.document
    assert document is not None
    if (document.file_size or 0) > MAX_BYTES:  # refused before downloading a byte
        raise Refused(TOO_LARGE, limit_mb=f"{MAX_BYTES / 1_000_000:g}")
    data = await state.get_data()
    target = await admission.target_for(
        session, ident, clock.now(), data["level"], data["scope_id"]
    )
    buffer = await bot.download(document)
    assert buffer is not None
    file = (document.file_name or "winners.xlsx", buffer.read())
    outcomes = await import_awards(session, ident, target, file, clock.now())
    await state.clear()
    report = render(
        "admission/awards_report.html",
        added=sum(o.added for o in outcomes),
        known=sum(o.problem is None and not o.added for o in outcomes),
        problems=[(o.number, o.name, reason_text(o.problem)) for o in outcomes if o.problem],
        limit=REPORT_LIMIT,
    )
    await message.answer(report)
    text, markup = await _preview(session, ident, target, i18n, clock, ref)
    await message.answer(text, reply_markup=markup)
