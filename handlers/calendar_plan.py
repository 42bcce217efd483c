"""/vpr: a coordinator (the municipal office, the regional centre) uploads the ВПР
plan-schedule for their scope; every row is checked and nothing is imported while one is wrong."""

from __future__ import annotations

import io

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.refusals import reason_text
from handlers.states import CalendarStepsFlow
from services.calendar_steps.vpr_plan import import_plan, plan_scope
from services.errors import Refused
from services.people.identity import Identity
from services.tabular.table import MAX_BYTES
from ui.templating import render

router = Router(name=__name__)
MAX_ERRORS = 20


@router.message(Command("vpr"))
async def cmd_vpr(message: Message, ident: Identity, state: FSMContext) -> None:
    plan_scope(ident)
    await state.set_state(CalendarStepsFlow.waiting_plan)
    await message.answer(render("calendar_steps/ask_plan.html"))


@router.message(CalendarStepsFlow.waiting_plan, F.document)
async def on_plan(
    message: Message, session: AsyncSession, ident: Identity, clock: Clock, bot: Bot,
    state: FSMContext,
) -> None:  # fmt: skip
    document = message.document
    assert document is not None
    if (document.file_size or 0) > MAX_BYTES:
        raise Refused("file_too_large", limit_mb=f"{MAX_BYTES / 1e6:g}")
    buffer = await bot.download(document, destination=io.BytesIO())
    content = buffer.getvalue() if isinstance(buffer, io.BytesIO) else b""
    result = await import_plan(session, ident, document.file_name or "", content, clock.now())
    if result.problems:
        errors = [
            {"row": p.row, "text": reason_text(Refused(p.reason, **p.details))}
            for p in result.problems[:MAX_ERRORS]
        ]
        more = max(0, len(result.problems) - MAX_ERRORS)
        await message.answer(render("calendar_steps/plan_errors.html", errors=errors, more=more))
        return
    await state.clear()
    await message.answer(
        render("calendar_steps/plan_done.html", works=result.imported, schools=result.schools)
    )


@router.message(CalendarStepsFlow.waiting_plan, ~F.text.startswith("/"))
async def on_not_a_plan(message: Message) -> None:
    await message.answer(reason_text(Refused("plan_not_a_file")))
