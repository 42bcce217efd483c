"""Refusals of the catalog, registration and parents' screens, with their dates in the reader's
zone (the texts themselves are in handlers/refusal_texts.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from handlers.refusals import reason_text
from services.errors import Refused
from services.rules.deadlines import shown_deadline
from ui.templating import local_datetime


def refusal_text(refusal: Refused, zone: str) -> str:
    """The refusal in words, its instants shown on the reader's clock."""
    details: dict[str, Any] = {
        key: local_datetime(shown_deadline(value, zone), zone, "d MMMM, HH:mm")
        if isinstance(value, dt.datetime)
        else value
        for key, value in refusal.details.items()
    }
    return reason_text(Refused(refusal.reason, **details))
