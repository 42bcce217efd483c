"""Localized text for the reason codes services refuse with (`services.errors.Refused`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from services.errors import Refused

log = logging.getLogger(__name__)

_REASONS: dict[str, Any] = {
    "stale_choice": __("This choice is no longer available. Please start again with /start."),
    "unknown_locale": __("I don't speak this language yet."),
    "unknown_kind": __("Please choose one of the buttons."),
    "bad_grade": __("Grades go from 1 to 11."),
    "no_school": __("Choose your school first: /start."),
    "unknown_timezone": __("I don't know this time zone."),
    "forbidden": __("You are not allowed to do this."),
    # A school or municipality removed from the reference data after a button was shown.
    "unknown_school": __("This school is no longer in the list."),
    "unknown_municipality": __("This municipality is no longer in the list."),
}


def register_reasons(reasons: Mapping[str, Any]) -> None:
    clash = set(reasons) & set(_REASONS)
    if clash:
        raise ValueError(f"refusal codes defined twice: {sorted(clash)}")
    _REASONS.update(reasons)


def reason_text(refusal: Refused) -> str:
    template = _REASONS.get(refusal.reason)
    if template is None:
        log.warning("no text for refusal", extra={"reason": refusal.reason})
        return _("This action is not possible right now.")
    text = str(template)
    return text.format(**refusal.details) if refusal.details else text
