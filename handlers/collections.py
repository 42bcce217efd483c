"""/collections: ФИС ОКО-style data collections (seed 004).

A coordinator opens one (title, Moscow window, organisations, template) and watches the totals
and the organisations, lagging first; each organisation's responsible person moves its state.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import lazy_gettext as __
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.clock import Clock
from calendars.schema import MOSCOW_TZ
from handlers.collections_jobs import start_reports
from handlers.command_menu import Command as MenuCommand
from handlers.command_menu import register
from handlers.keyboards import collections as kbs
from handlers.queued_files import Deliver
from handlers.ui import show
from models.collections import OrgState
from models.enums import Role
from models.geo import School
from reminders.views import when_line
from services.collections import monitor, report_jobs
from services.collections.access import coordinator_scope, org_of, watched_collection
from services.collections.people import coordinated_scopes
from services.collections.states import set_state
from services.errors import Refused
from services.people.identity import Identity
from services.people.viewer import Viewer
from ui.callbacks.collections import ColAct, ColCb
from ui.templating import render

router = Router(name=__name__)
# Typed text, not a command: a command typed mid-flow goes to its own handler.
TYPED = F.text & ~F.text.startswith("/")
# The calendar roles, and the olympiad's staff who answer for data too (services/collections/
# people.py).
DATA_STAFF = frozenset(
    {"curator", "municipal", "regional", "admin", Role.DATA_OPERATOR, Role.MUNICIPAL_OFFICE,
     Role.REGIONAL_CENTRE}
)  # fmt: skip
register(MenuCommand("collections", __("Data collections: open, fill in, monitor, report"),
                     DATA_STAFF))  # fmt: skip
register(MenuCommand("completeness", __("Card completeness in AIS SGO"), DATA_STAFF))
ICONS = {OrgState.NOT_STARTED: "⚪️", OrgState.IN_PROGRESS: "🟡", OrgState.SUBMITTED: "🟢"}


def _times(viewer: Viewer) -> dict[str, Any]:
    return {"when": when_line, "moscow": MOSCOW_TZ, "zone": viewer.zone}


async def _list(
    session: AsyncSession, ident: Identity, viewer: Viewer
) -> tuple[str, InlineKeyboardMarkup]:
    mine = await monitor.mine(session, ident, viewer.now)
    coordinated = None
    if coordinated_scopes(ident):
        coordinated = await monitor.coordinated(session, await coordinator_scope(session, ident))
    text = render("collections/list.html", mine=mine, coordinated=coordinated,
                  state_names=kbs.state_names(), **_times(viewer))  # fmt: skip
    return text, kbs.list_kb(mine, coordinated)


@router.message(Command("collections"))
async def cmd_collections(
    message: Message, session: AsyncSession, ident: Identity, viewer: Viewer, state: FSMContext
) -> None:
    await state.set_state(None)
    text, markup = await _list(session, ident, viewer)
    await message.answer(text, reply_markup=markup)


@router.callback_query(ColCb.filter(F.act == ColAct.LIST))
async def on_list(
    cq: CallbackQuery, session: AsyncSession, ident: Identity, viewer: Viewer
) -> None:
    await show(cq, *await _list(session, ident, viewer))


async def card_screen(
    session: AsyncSession, ident: Identity, viewer: Viewer, collection_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    collection, scope = await watched_collection(session, ident, collection_id)
    totals = await monitor.totals(session, collection.id, scope)
    text = render("collections/card.html", collection=collection, totals=totals, **_times(viewer))
    return text, kbs.card_kb(collection.id)


@router.callback_query(ColCb.filter(F.act == ColAct.CARD))
async def oncard_screen(
    cq: CallbackQuery, callback_data: ColCb, session: AsyncSession, ident: Identity, viewer: Viewer
) -> None:
    await show(cq, *await card_screen(session, ident, viewer, callback_data.c))


@router.callback_query(ColCb.filter(F.act == ColAct.ORGS))
async def on_orgs(
    cq: CallbackQuery, callback_data: ColCb, session: AsyncSession, ident: Identity, viewer: Viewer
) -> None:
    collection, scope = await watched_collection(session, ident, callback_data.c)
    view = await monitor.org_page(session, collection.id, scope, callback_data.page)
    text = render("collections/orgs.html", collection=collection, view=view, icons=ICONS,
                  state_names=kbs.state_names(), **_times(viewer))  # fmt: skip
    await show(cq, text, kbs.orgs_kb(collection.id, view))


@router.callback_query(ColCb.filter(F.act == ColAct.REPORT))
async def on_report(  # noqa: PLR0913 - the report job needs the bot and the session factory
    cq: CallbackQuery, callback_data: ColCb, session: AsyncSession, ident: Identity,
    clock: Clock, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], i18n: I18n,
    deliver: Deliver,
) -> None:  # fmt: skip
    chat_id = cq.from_user.id
    await report_jobs.queue_report(session, ident, callback_data.c, chat_id, clock.now())
    await cq.answer()
    await bot.send_message(chat_id, render("collections/report_queued.html"))
    start_reports(bot, sessionmaker, i18n, clock, deliver)


async def _org_screen(
    session: AsyncSession, ident: Identity, viewer: Viewer, collection_id: int, school_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    collection, org = await org_of(session, ident, collection_id, school_id)
    school = await session.get(School, school_id)
    text = render("collections/org.html", collection=collection, org=org,
                  school=school.name if school else "", state_names=kbs.state_names(),
                  **_times(viewer))  # fmt: skip
    return text, kbs.org_kb(collection, org)


@router.callback_query(ColCb.filter(F.act == ColAct.MINE))
async def on_mine(
    cq: CallbackQuery, callback_data: ColCb, session: AsyncSession, ident: Identity, viewer: Viewer
) -> None:
    await show(cq, *await _org_screen(session, ident, viewer, callback_data.c, callback_data.s))


@router.callback_query(ColCb.filter(F.act == ColAct.SET))
async def on_set(
    cq: CallbackQuery, callback_data: ColCb, session: AsyncSession, ident: Identity, viewer: Viewer
) -> None:
    new = kbs.STATES_BY_CODE.get(callback_data.st)
    if new is None:
        raise Refused("stale_choice")
    c, s = callback_data.c, callback_data.s
    try:
        await set_state(session, ident, c, s, new, confirmed=callback_data.ok, now=viewer.now,
                        default_zone=viewer.default_zone)  # fmt: skip
    except Refused as refusal:
        if refusal.reason != "col_confirm":
            raise
        _collection, org = await org_of(session, ident, c, s)
        names = kbs.state_names()
        text = render("collections/confirm.html", old=names[OrgState(org.state)], new=names[new])
        await show(cq, text, kbs.confirm_kb(c, s, new))
        return
    await show(cq, *await _org_screen(session, ident, viewer, c, s))


@router.callback_query(ColCb.filter(F.act == ColAct.TEMPLATE))
async def on_template(
    cq: CallbackQuery, callback_data: ColCb, session: AsyncSession, ident: Identity, bot: Bot
) -> None:
    collection, _org = await org_of(session, ident, callback_data.c, callback_data.s)
    if not collection.template_file_id:
        raise Refused("stale_choice")
    await cq.answer()
    await bot.send_document(cq.from_user.id, collection.template_file_id)
