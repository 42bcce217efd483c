"""The Mini App in tests: the bot's web server on a free port, and initData signed like
Telegram signs it (no tests here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from urllib.parse import quote

import aiohttp
import pytest

from bot.app import App
from bot.web.server import local_url, start_web
from webapp.auth import HEADER, sign


@pytest.fixture
async def web_url(app: App) -> AsyncIterator[str]:
    """The base URL of the running panel (app.close stops it)."""
    app.web = await start_web(app, app.settings.model_copy(update={"web_port": 0}))
    assert app.web is not None
    yield local_url(app.web)


def init_data(
    app: App,
    tg_id: int,
    *,
    first_name: str = "Игорь",
    age: dt.timedelta = dt.timedelta(minutes=1),
    token: str | None = None,
) -> str:
    return sign(
        token or app.bot.token,
        tg_id=tg_id,
        first_name=first_name,
        auth_date=app.clock.now() - age,
    )


def panel_link(base: str, data: str) -> str:
    return f"{base}/app#tgWebAppData={quote(data)}"


async def get_panel(base: str, data: str | None, query: str = "") -> tuple[int, str]:
    headers = {HEADER: data} if data is not None else {}
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{base}/app/api/panel{query}", headers=headers) as response,
    ):
        return response.status, await response.text()


async def post_action(base: str, data: str, action: str, form: dict[str, str]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{base}/app/api/{action}", headers={HEADER: data}, data=form) as response,
    ):
        return response.status, await response.text()
