"""The Mini App's routes on the bot's web server."""

from __future__ import annotations

from aiohttp import web

from webapp import actions, exports
from webapp.calendars import calendar_page
from webapp.context import HOST_KEY, Host, panel_context
from webapp.panel import STATIC_DIR, panel, shell


def setup_webapp_routes(web_app: web.Application, app: Host) -> None:
    web_app[HOST_KEY] = app
    web_app.middlewares.append(panel_context)
    web_app.router.add_get("/app", shell)
    web_app.router.add_get("/app/", shell)
    web_app.router.add_static("/app/static/", STATIC_DIR)
    web_app.router.add_get("/app/api/panel", panel)
    web_app.router.add_get("/app/api/calendar", calendar_page)
    web_app.router.add_post("/app/api/export", exports.export_to_chat)
    web_app.router.add_get("/app/api/export.xlsx", exports.export_download)
    for name in ("status", "nudge", "publish"):
        web_app.router.add_post(f"/app/api/{name}/preview", getattr(actions, f"{name}_preview"))
        web_app.router.add_post(f"/app/api/{name}/apply", getattr(actions, f"{name}_apply"))
