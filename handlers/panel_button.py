"""The way into the panel (the Mini App) from the chat: the chat's menu button for staff, and an
«Open the panel» button under /overview. Both exist only when WEBAPP_URL is set."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardButton, MenuButtonWebApp, WebAppInfo
from aiogram.utils.i18n import gettext as _

from services.authz import Action, may_act_somewhere
from services.curator.school import curated_school_ids
from services.people.identity import Identity
from services.people.viewer import Policy

log = logging.getLogger(__name__)


def has_olympiad_panel(ident: Identity) -> bool:
    """Coordinators and curators have the olympiad's panel."""
    return may_act_somewhere(ident, Action.VIEW_OVERVIEW) or bool(curated_school_ids(ident))


def has_panel(ident: Identity) -> bool:
    """Every staff role has a panel (the olympiad's, or its data calendars: the collections at
    least); families do not."""
    return ident.is_admin or bool(ident.grants) or has_olympiad_panel(ident)


def panel_button(policy: Policy) -> InlineKeyboardButton | None:
    if policy.panel_url is None:
        return None
    return InlineKeyboardButton(text=_("Open the panel"), web_app=WebAppInfo(url=policy.panel_url))


async def offer_menu_button(bot: Bot, chat_id: int, ident: Identity, policy: Policy) -> None:
    """Puts the panel on the chat's menu button of a staff member (a private chat)."""
    url = policy.panel_url
    if url is None or not has_panel(ident):
        return
    button = MenuButtonWebApp(text=_("Panel"), web_app=WebAppInfo(url=url))
    try:
        await bot.set_chat_menu_button(chat_id=chat_id, menu_button=button)
    except TelegramAPIError:  # the menu button is a convenience; the command still answers
        log.warning("could not set the panel's menu button", exc_info=True)
