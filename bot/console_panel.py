"""The console's way into the panel (the Mini App) without Telegram: a local address with
initData signed for the current persona, as Telegram would open it."""

from __future__ import annotations

from urllib.parse import quote

from bot.app import App
from bot.console_setup import Persona
from bot.web.server import local_url
from webapp.auth import sign


def panel_link(app: App, persona: Persona) -> str:
    """Valid for WEBAPP_AUTH_MAX_AGE_HOURS of the bot's clock."""
    if app.web is None:
        return "— the web server is not running"
    init_data = sign(
        app.bot.token,
        tg_id=persona.tg_id,
        first_name=persona.first_name,
        auth_date=app.clock.now(),
    )
    return f"{local_url(app.web)}/app#tgWebAppData={quote(init_data)}"
