"""The chat's /export from the panel: the same rows of the same scope, the same workbook and
audit entry. The file goes to the person's chat, as /export sends it (a Mini App cannot save
files inside Telegram), or, in a browser, comes back as the download."""

from __future__ import annotations

import asyncio

from aiogram.types import BufferedInputFile
from aiohttp import web

from calendars.school_year import school_year_label, school_year_of
from services.errors import Refused
from services.exports import lists as exports
from ui.templating import render
from webapp.context import Ctx, ctx_of
from webapp.panel import html

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _workbook(ctx: Ctx, layout_code: str) -> tuple[str, bytes, int]:
    if layout_code not in set(exports.Layout):
        raise Refused("stale_choice")
    layout = exports.Layout(layout_code)
    scope = await exports.export_scope(ctx.session, ctx.ident)
    year = school_year_of(ctx.now.date())
    rows: list[tuple[object, ...]] = []
    async for chunk in exports.chunks(ctx.session, scope, year):
        rows.extend(chunk)
    content = await asyncio.to_thread(exports.build_export, rows, layout)
    await exports.record_export(ctx.session, ctx.ident, scope, len(rows), layout, ctx.now)
    return f"olympiad-{school_year_label(year).replace('/', '-')}.xlsx", content, len(rows)


async def export_to_chat(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    form = await request.post()
    name, content, rows = await _workbook(ctx, str(form.get("layout", "")))
    chat_id = ctx.ident.user.tg_id
    assert chat_id is not None  # the person came with Telegram's signed initData
    await ctx.host.bot.send_document(chat_id, BufferedInputFile(content, name))
    return html(render("webapp/notice.html", ok=True, text=render("exports/done.html", rows=rows)))


async def export_download(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    name, content, _rows = await _workbook(ctx, request.query.get("layout", ""))
    return web.Response(
        body=content,
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
