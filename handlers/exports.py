"""/export: registrations and results of my scope as .xlsx, with a progress message.

Rows are read in chunks (the message shows how far), the workbook is built in a worker thread
so the bot keeps answering others meanwhile, and the file comes back as a document.
"""

from __future__ import annotations

import asyncio

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from calendars.school_year import school_year_label, school_year_of
from handlers.keyboards import results as kbs
from handlers.progress import Progress
from handlers.ui import show
from services.errors import Refused
from services.exports import lists as exports
from services.people.identity import Identity
from ui.callbacks.results import ExpCb
from ui.templating import render

router = Router(name=__name__)
READ_SHARE = 80  # per cent of the bar for reading rows; building the file takes the rest


@router.message(Command("export"))
async def cmd_export(
    message: Message, session: AsyncSession, ident: Identity, clock: Clock
) -> None:
    await exports.export_scope(session, ident)  # a person with no right hears it now
    year = school_year_label(school_year_of(clock.now().date()))
    await message.answer(render("exports/choose.html", year=year), reply_markup=kbs.layouts_kb())


@router.callback_query(ExpCb.filter())
async def on_export(
    cq: CallbackQuery, callback_data: ExpCb, bot: Bot, session: AsyncSession, ident: Identity,
    clock: Clock,
) -> None:  # fmt: skip
    if callback_data.layout not in set(exports.Layout) or not isinstance(cq.message, Message):
        raise Refused("stale_choice")
    layout = exports.Layout(callback_data.layout)
    scope = await exports.export_scope(session, ident)
    year = school_year_of(clock.now().date())
    total = await exports.count_rows(session, scope, year)
    await show(cq, render("exports/progress.html", pct=0))
    progress = Progress.of_message(cq.message)
    rows: list[tuple[object, ...]] = []
    async for chunk in exports.chunks(session, scope, year):
        rows.extend(chunk)
        await progress.update(READ_SHARE * len(rows) // max(total, 1))
    content = await asyncio.to_thread(exports.build_export, rows, layout)
    await progress.update(100)
    name = f"olympiad-{school_year_label(year).replace('/', '-')}.xlsx"
    await bot.send_document(cq.from_user.id, BufferedInputFile(content, name))
    await exports.record_export(session, ident, scope, len(rows), layout, clock.now())
    await cq.message.edit_text(render("exports/done.html", rows=len(rows)))
