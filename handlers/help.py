"""/help: the commands this person can use, by role."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import Message

from handlers.command_menu import commands_for
from handlers.panel_button import offer_menu_button
from models.enums import PersonKind
from services.people.identity import Identity
from services.people.viewer import Policy
from ui.templating import render

router = Router(name=__name__)


@router.message(Command("help"))
async def cmd_help(message: Message, ident: Identity, policy: Policy, bot: Bot) -> None:
    text = render(
        "help/help.html",
        commands=commands_for(ident),
        # Staff work through their commands; the school-and-grade hint is for families.
        onboarded=ident.user.onboarded_at is not None or ident.is_staff,
        parent=ident.user.kind == PersonKind.PARENT,
    )
    await message.answer(text)
    await offer_menu_button(bot, message.chat.id, ident, policy)
