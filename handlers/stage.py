"""/stage: create the events of a stage from a schedule file, after a preview and a confirm."""

from __future__ import annotations

import io
import secrets
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from calendars.school_year import school_year_label
from handlers.event_edit import refusal_html
from handlers.keyboards import stage as kbs
from handlers.refusals import reason_text
from handlers.states_stage import StageFlow
from handlers.ui import show
from services.authz import Action
from services.errors import Refused
from services.people.identity import Identity
from services.reference.loader import ReferenceData
from services.stage.create import create_stage
from services.stage.file import template_workbook
from services.stage.schedule import PlannedEvent, SchedulePreview, preview_schedule
from services.stage.scope import Target, organiser_targets, resolve_target
from services.stage.views import closed_view, schedule_view
from services.tabular.table import MAX_BYTES
from ui.callbacks.stage import StageAct, StageCb
from ui.templating import render

router = Router(name=__name__)
PREVIEW_LIMITS = (25, 12, 6)
MAX_TEXT = 4000  # Telegram's limit is 4096; the tags count here, not there
# fmt: off
# fmt: on


@router.message(Command("stage"))
async def cmd_stage(
    message: Message, session: AsyncSession, ident: Identity, state: FSMContext
) -> None:
    await state.clear()
    stages = await organiser_targets(session, ident)
    if not stages:
        await message.answer(reason_text(Refused("stage_not_organiser")))
        return
    await message.answer(
        render("stage/choose.html"), reply_markup=kbs.stages_kb(stages, status=False)
    )


def _upload_text(target: Target, draft: bool, clock: Clock) -> str:
    return render(
        "stage/upload.html",
        level=str(target.level),
        scope_name=target.name,
        year=school_year_label(target.school_year(clock.now())),
        draft=draft,
    )


@router.callback_query(StageCb.filter(F.act.in_({StageAct.PICK, StageAct.DRAFT})))
async def on_pick(
    cq: CallbackQuery,
    callback_data: StageCb,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    clock: Clock,
) -> None:
    target = await resolve_target(session, ident, Action.CREATE_STAGE, callback_data.stage)
    data = await state.get_data()
    draft = callback_data.act == StageAct.DRAFT and not data.get("draft", False)
    await state.set_state(StageFlow.waiting_file)
    await state.set_data({"stage": callback_data.stage, "draft": draft})
    await show(cq, _upload_text(target, draft, clock), kbs.upload_kb(callback_data.stage, draft))


@router.callback_query(StageCb.filter(F.act == StageAct.TEMPLATE))
async def on_template(
    cq: CallbackQuery,
    callback_data: StageCb,
    session: AsyncSession,
    ident: Identity,
    ref: ReferenceData,
    bot: Bot,
) -> None:
    target = await resolve_target(session, ident, Action.CREATE_STAGE, callback_data.stage)
    content = template_workbook(ref, target.level)
    document = BufferedInputFile(content, filename=f"schedule_{target.level}.xlsx")
    await bot.send_document(
        cq.from_user.id,
        document,
        caption=_("Fill in one row per subject and send the file back here."),
    )
    await cq.answer()


@router.message(StageFlow.waiting_file, F.document)
@router.message(StageFlow.confirming, F.document)  # a corrected file replaces the preview
async def on_file(
    message: Message,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    clock: Clock,
    ref: ReferenceData,
    bot: Bot,
    i18n: I18n,
) -> None:
    document = message.document
    assert document is not None
    data = await state.get_data()
    target = await resolve_target(session, ident, Action.CREATE_STAGE, data.get("stage", ""))
    if (document.file_size or 0) > MAX_BYTES:
        await message.answer(
            reason_text(Refused("file_too_large", limit_mb=f"{MAX_BYTES / 1e6:g}"))
        )
        return
    buffer = await bot.download(document, destination=io.BytesIO())
    content = buffer.getvalue() if isinstance(buffer, io.BytesIO) else b""
    try:
        preview = await preview_schedule(
            session, ident, target, document.file_name or "", content, ref=ref, now=clock.now()
        )
    except Refused as refusal:
        await message.answer(
            refusal_html(refusal) + "\n" + _("Fix the file and send it again, or /cancel.")
        )
        return
    token = secrets.token_hex(4)
    await state.update_data(
        token=token, year=preview.school_year, planned=[e.to_json() for e in preview.events]
    )
    if preview.events:
        await state.set_state(StageFlow.confirming)
    text = _preview_text(preview, target, bool(data.get("draft")), ref, i18n.current_locale)
    await message.answer(text, reply_markup=kbs.stage_preview_kb(token, len(preview.events)))


def _preview_text(
    preview: SchedulePreview, target: Target, draft: bool, ref: ReferenceData, locale: str
) -> str:
    errors = [{"row": e.row, "text": reason_text(e.problem)} for e in preview.errors]
    events = schedule_view(preview, ref, locale)
    closed = closed_view(preview, ref, locale, target.zone)
    text = ""
    # Long lists are cut ("…and N more") so that the preview stays one Telegram message.
    for limit in PREVIEW_LIMITS:
        text = render(
            "stage/preview.html",
            level=str(target.level),
            scope_name=target.name,
            events=events,
            errors=errors,
            skipped=preview.skipped,
            closed=closed,
            tz=target.zone,
            draft=draft,
            limit=limit,
        )
        if len(text) <= MAX_TEXT:
            break
    return text


@router.message(StageFlow.waiting_file, ~F.text.startswith("/"))
async def on_not_a_file(message: Message) -> None:
    await message.answer(_("Please send the schedule as a file (a document), or /cancel."))


@router.callback_query(StageCb.filter(F.act == StageAct.CONFIRM))
async def on_confirm(
    cq: CallbackQuery,
    callback_data: StageCb,
    session: AsyncSession,
    ident: Identity,
    state: FSMContext,
    clock: Clock,
    ref: ReferenceData,
) -> None:
    data: dict[str, Any] = await state.get_data()
    if (
        await state.get_state() != StageFlow.confirming.state
        or data.get("token") != callback_data.token
    ):
        raise Refused("stage_stale_preview")
    target = await resolve_target(session, ident, Action.CREATE_STAGE, data["stage"])
    planned = [PlannedEvent.from_json(item) for item in data["planned"]]
    ids = await create_stage(
        session,
        ident,
        target,
        planned,
        school_year=data["year"],
        draft=bool(data.get("draft")),
        rules=ref.rules,
        now=clock.now(),
    )
    await state.clear()
    text = render(
        "stage/created.html",
        count=len(ids),
        level=str(target.level),
        draft=bool(data.get("draft")),
    )
    await show(cq, text, None)


@router.callback_query(StageCb.filter(F.act == StageAct.CANCEL))
async def on_cancel(cq: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await show(cq, _("Cancelled. Nothing was changed."), None)
