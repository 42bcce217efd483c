"""Localized text for the reason codes services refuse with (`services.errors.Refused`)."""

from __future__ import annotations

import logging

from aiogram.utils.i18n import gettext as _

from handlers.refusal_texts import REASONS
from services.errors import Refused

log = logging.getLogger(__name__)


def reason_text(refusal: Refused) -> str:
    template = REASONS.get(refusal.reason)
    if template is None:
        log.warning("no text for refusal", extra={"reason": refusal.reason})
        return _("This action is not possible right now.")
    text = str(template)
    return text.format(**refusal.details) if refusal.details else text
