"""/overview: the events of my scope with their progress and overdue checks, and a chart."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from calendars.school_year import school_year_label
from handlers.choices import choice
from handlers.keyboards import stage as kbs
from handlers.panel_button import offer_menu_button, panel_button
from handlers.ui import show
from models.enums import Level
from models.people import User
from services.people.identity import Identity
from services.people.viewer import Policy
from services.reference.loader import ReferenceData
from services.stage.charts import ChartKind, bar_chart_png, chart_data
from services.stage.overview import overview_page
from ui.callbacks.stage import OverviewAct, OverviewCb
from ui.templating import local_datetime, render

router = Router(name=__name__)
MINUTE = dt.timedelta(minutes=1)


def deadline_text(at: dt.datetime, zone: str) -> str:
    """A step due "by the end of the day" is shown as 23:59 of that day, not 00:00 of the next."""
    if at.astimezone(ZoneInfo(zone)).time() == dt.time(0):
        at -= MINUTE
    return local_datetime(at, zone, "d MMM, HH:mm")


async def _screen(
    session: AsyncSession,
    ident: Identity,
    ref: ReferenceData,
    clock: Clock,
    locale: str,
    policy: Policy,
    callback: OverviewCb | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    level = choice(Level, callback.level) if callback and callback.level else None
    page = callback.page if callback else 0
    view = await overview_page(
        session, ident, level=level, page=page, rules=ref.rules, now=clock.now()
    )
    text = render(
        "overview/page.html",
        year=school_year_label(view.school_year),
        level=str(level) if level else None,
        rows=view.rows,
        total=view.total,
        overdue=view.overdue,
        page=view.page,
        pages=view.pages,
        locale=locale,
        tz=ident.user.timezone,
        deadline=deadline_text,
    )
    markup = kbs.overview_kb(view, locale)
    button = panel_button(policy)
    if button is not None:
        markup.inline_keyboard.append([button])
    return text, markup


@router.message(Command("overview"))
async def cmd_overview(
    message: Message,
    session: AsyncSession,
    ident: Identity,
    ref: ReferenceData,
    clock: Clock,
    i18n: I18n,
    policy: Policy,
    bot: Bot,
) -> None:
    text, markup = await _screen(session, ident, ref, clock, i18n.current_locale, policy)
    await message.answer(text, reply_markup=markup)
    await offer_menu_button(bot, message.chat.id, ident, policy)


@router.callback_query(OverviewCb.filter(F.act == OverviewAct.PAGE))
async def on_page(
    cq: CallbackQuery,
    callback_data: OverviewCb,
    session: AsyncSession,
    ident: Identity,
    ref: ReferenceData,
    clock: Clock,
    i18n: I18n,
    policy: Policy,
) -> None:
    locale = i18n.current_locale
    await show(cq, *(await _screen(session, ident, ref, clock, locale, policy, callback_data)))


@router.callback_query(OverviewCb.filter(F.act == OverviewAct.CHART))
async def on_chart(
    cq: CallbackQuery,
    callback_data: OverviewCb,
    session: AsyncSession,
    ident: Identity,
    me: User,
    clock: Clock,
    i18n: I18n,
    bot: Bot,
) -> None:
    kind = choice(ChartKind, callback_data.kind)
    level = choice(Level, callback_data.level) if callback_data.level else None
    data = await chart_data(
        session, ident, kind, level=level, locale=i18n.current_locale, now=clock.now()
    )
    if not any(data.values) and not data.others:
        await cq.answer(_("No registrations yet, so there is nothing to draw."), show_alert=True)
        return
    title = (
        _("Registrations per subject")
        if kind == ChartKind.SUBJECT
        else _("Registrations per school")
    )
    if level is not None:
        title += f" · {kbs.LEVELS[level]}"
    # Drawing takes a noticeable fraction of a second: keep the event loop serving others.
    png = await asyncio.to_thread(bar_chart_png, data, title, _("Others"))
    await bot.send_photo(
        me.tg_id or cq.from_user.id, BufferedInputFile(png, "registrations.png"), caption=title
    )
    await cq.answer()
