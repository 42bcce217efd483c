"""The main menu: a reply keyboard whose buttons do what the matching commands do."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from handlers import catalog, my_status, reminders, settings

router = Router(name=__name__)

ENTRIES = (
    (__("📚 Olympiads"), catalog.cmd_events),
    (__("📋 My registrations"), my_status.cmd_my),
    (__("⏰ Deadlines"), reminders.cmd_due),
    (__("⚙️ Settings"), settings.cmd_settings),
)

for label, handler in ENTRIES:
    # The same callable as the command, so the button and /command can never drift apart.
    router.message.register(handler, F.text == label)


def main_menu_kb() -> ReplyKeyboardMarkup:
    labels = [str(label) for label, _handler in ENTRIES]
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=labels[0]), KeyboardButton(text=labels[1])],
            [KeyboardButton(text=labels[2]), KeyboardButton(text=labels[3])],
        ],
        resize_keyboard=True,
        is_persistent=True,
        input_field_placeholder=_("Choose or type a command"),
    )
