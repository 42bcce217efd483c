"""One request of the panel: its person (from the signed initData), a session and a transaction,
the language; the same things the chat's middlewares build for an update.

Only `/app/api/` needs all this; the page shell and its static files carry no data.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from aiogram import Bot
from aiogram.utils.i18n import I18n
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from handlers.refusals import reason_text
from services.errors import Refused
from services.people.identity import Identity, identify
from services.people.viewer import Policy
from services.reference.loader import ReferenceData
from ui.templating import render
from webapp.auth import HEADER, QUERY, Unauthenticated, WebAppPerson, verify

log = logging.getLogger(__name__)
API_PREFIX = "/app/api/"
LOCALES = ("ru", "en")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class HostSettings(Protocol):
    @property
    def webapp_auth_max_age_hours(self) -> float: ...


class Host(Protocol):
    """What the panel needs of the running bot (bot.app.App)."""

    @property
    def bot(self) -> Bot: ...
    @property
    def settings(self) -> HostSettings: ...
    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def i18n(self) -> I18n: ...
    @property
    def ref(self) -> ReferenceData: ...
    @property
    def policy(self) -> Policy: ...


@dataclass(frozen=True)
class Ctx:
    host: Host
    session: AsyncSession
    ident: Identity
    locale: str
    now: dt.datetime


HOST_KEY = web.AppKey("webapp_host", object)
CTX_KEY = web.RequestKey("webapp_ctx", object)


def ctx_of(request: web.Request) -> Ctx:
    found = request[CTX_KEY]
    assert isinstance(found, Ctx)
    return found


def unauthorized() -> web.Response:
    return web.Response(status=401, text="401: Unauthorized")


def forbidden() -> web.Response:
    return web.Response(status=403, text="403: Forbidden")


def host_of(request: web.Request) -> Host:
    return request.app[HOST_KEY]  # type: ignore[return-value]


@web.middleware
async def panel_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authenticates `/app/api/` requests and runs each in one transaction, committed only
    when the answer is a success."""
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    host = host_of(request)
    now = host.clock.now()
    raw = request.headers.get(HEADER) or request.query.get(QUERY)
    try:
        max_age = dt.timedelta(hours=host.settings.webapp_auth_max_age_hours)
        person = verify(raw, host.bot.token, now=now, max_age=max_age)
    except Unauthenticated:
        return unauthorized()
    async with host.sessionmaker() as session:
        await session.begin()
        try:
            response = await _answer(request, handler, host, session, person, now)
        except BaseException:
            await session.rollback()
            raise
        if response.status < 400:  # noqa: PLR2004 - an error answer keeps nothing
            await session.commit()
        else:
            await session.rollback()
    return response


async def _answer(
    request: web.Request,
    handler: Handler,
    host: Host,
    session: AsyncSession,
    person: WebAppPerson,
    now: dt.datetime,
) -> web.StreamResponse:
    ident = await identify(session, person.tg_id, person.name, host.policy.admin_ids, now)
    locale = _locale(ident, person.language_code, host.policy.default_locale)
    request[CTX_KEY] = Ctx(host, session, ident, locale, now)
    with host.i18n.context(), host.i18n.use_locale(locale):
        try:
            return await handler(request)
        except Refused as refusal:
            if refusal.reason == "forbidden":
                return forbidden()
            text = render("webapp/notice.html", ok=False, text=reason_text(refusal))
            return web.Response(status=409, text=text, content_type="text/html")


def _locale(ident: Identity, language: str | None, default: str) -> str:
    if ident.user.locale in LOCALES:
        return str(ident.user.locale)
    code = (language or "").split("-")[0]
    return code if code in LOCALES else default
