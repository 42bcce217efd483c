"""The last word on any failure: a refusal is explained, anything else is logged and apologised.

The update's transaction has already been rolled back when these run, so "nothing was saved" is
true.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from aiogram import Router
from aiogram.exceptions import (
    AiogramError,
    ClientDecodeError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from handlers.refusals import reason_text
from services.errors import Refused

router = Router(name=__name__)
log = logging.getLogger(__name__)


def _locale(data: dict[str, Any], i18n: I18n) -> str:
    locale = data.get("locale")
    return locale if locale in i18n.available_locales else i18n.default_locale


async def _tell(event: ErrorEvent, text: str) -> None:
    update = event.update
    # The apology is best effort: if Telegram cannot take it either, the log has the cause.
    with contextlib.suppress(AiogramError):
        if update.callback_query is not None:
            await update.callback_query.answer(text[:200], show_alert=True)
        elif update.message is not None:
            await update.message.answer(text, parse_mode=None)


@router.errors(ExceptionTypeFilter(Refused))
async def on_refused(event: ErrorEvent, i18n: I18n, **data: Any) -> None:
    assert isinstance(event.exception, Refused)
    log.info("refused", extra={"reason": event.exception.reason})
    with i18n.context(), i18n.use_locale(_locale(data, i18n)):
        await _tell(event, reason_text(event.exception))


@router.errors(
    ExceptionTypeFilter(
        TelegramRetryAfter, TelegramServerError, ClientDecodeError, TelegramNetworkError
    )
)
async def on_telegram_unavailable(event: ErrorEvent) -> None:
    """Telegram stayed busy or down past the retries (bot/middlewares/telegram_retry.py): an
    apology would meet the same wall, and a flood wait is not the person's error to hear."""
    log.warning(
        "Telegram did not take the reply: %s",
        event.exception,
        extra={"update_id": event.update.update_id},
    )


@router.errors()
async def on_error(event: ErrorEvent, i18n: I18n, **data: Any) -> None:
    log.error(
        "update failed",
        exc_info=event.exception,
        extra={"update_id": event.update.update_id},
    )
    with i18n.context(), i18n.use_locale(_locale(data, i18n)):
        await _tell(
            event, _("Something went wrong on our side; nothing was saved. Please try again.")
        )
