"""The panel's calendar sections: the data collections and the schools' data calendars, read
through the chat's services (services.dashboard.calendars) with the same scope."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiohttp import web

from handlers.overview import deadline_text
from handlers.panel_button import has_olympiad_panel
from models.bounds import parse_id
from services.dashboard.calendars import (
    COLLECTIONS,
    calendar_sections,
    collections_view,
    steps_view,
)
from services.errors import Refused
from ui.templating import render
from webapp.context import Ctx, ctx_of

OLYMPIAD = "olympiad"


def sections(ctx: Ctx, olympiad: bool) -> list[tuple[str, str]]:
    """The panel's sections for this person: (code, title); the olympiad first when they have
    its panel."""
    calendars = ctx.host.ref.calendars
    found = [(OLYMPIAD, _("Olympiad"))] if olympiad else []
    for code in calendar_sections(ctx.ident, calendars):
        title = _("Data collections") if code == COLLECTIONS else None
        found.append((code, title or calendars[code].short_title_in(ctx.locale)))
    return found


def _number(request: web.Request, name: str) -> int | None:
    raw = request.query.get(name, "")
    if not raw:
        return None
    found = parse_id(raw)
    if found is None:
        raise Refused("forbidden")
    return found


async def calendar_page(request: web.Request) -> web.Response:
    ctx = ctx_of(request)
    code = request.query.get("cal", "")
    return web.Response(
        text=await calendar_html(ctx, code, request, olympiad=None),
        content_type="text/html",
        charset="utf-8",
    )


async def calendar_html(
    ctx: Ctx, code: str, request: web.Request, *, olympiad: bool | None
) -> str:
    """One calendar's section; `olympiad`: whether the person has the olympiad's panel too
    (None: find out)."""
    if olympiad is None:
        olympiad = has_olympiad_panel(ctx.ident)
    shown = sections(ctx, olympiad)
    if code not in {c for c, _t in shown} or code == OLYMPIAD:
        raise Refused("forbidden")
    tz = ctx.ident.user.timezone or ctx.host.policy.default_zone
    common = {"sections": shown, "current": code, "locale": ctx.locale, "tz": tz,
              "deadline": deadline_text, "now": ctx.now}  # fmt: skip
    if code == COLLECTIONS:
        view = await collections_view(ctx.session, ctx.ident, _number(request, "c"), ctx.now)
        return render("webapp/collections.html", view=view, **common)
    calendar = ctx.host.ref.calendars[code]
    steps = await steps_view(ctx.session, ctx.ident, calendar, _number(request, "school"), ctx.now)
    return render(
        "webapp/steps.html", view=steps, title=calendar.short_title_in(ctx.locale), **common
    )
