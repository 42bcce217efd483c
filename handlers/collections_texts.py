"""Refusal texts of data collections and card completeness (merged into refusal_texts)."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import lazy_gettext as __

COLLECTIONS: dict[str, Any] = {
    "col_bad_datetime": __(
        "«{value}» is not a date and time. Send it as DD.MM.YYYY HH:MM in Moscow time, "
        "e.g. 07.09.2026 18:00."
    ),
    "col_bad_title": __("The title must be 1 to {limit} characters long."),
    "col_closes_before_opens": __("The collection must close after it opens."),
    "col_closes_in_past": __("This close time has already passed."),
    "col_no_organisations": __("There are no organisations in this scope."),
    "col_not_coordinator": __(
        "Data collections are opened by municipal and regional coordinators."
    ),
    "col_unknown": __("This collection is no longer there."),
    "col_not_open_yet": __("The collection has not opened yet."),
    "col_closed": __("The collection is closed; its states can no longer change."),
    "col_confirm": __("Please confirm the step back."),
    "col_bad_codes": __("Send from 1 to {limit} organisation codes, separated by commas."),
    "col_unknown_codes": __("No organisations with these codes in your scope: {codes}."),
    "cmp_bad_percent": __("«{value}» is not a percentage from 0 to 100 (e.g. 87,5)."),
    "cmp_nobody": __(
        "Card completeness is reported by the responsible people of organisations and "
        "monitored by coordinators."
    ),
    "cmp_row_unknown_school": __(
        "Row {row}: no organisation with the code «{code}» in your scope."
    ),
    "cmp_row_ambiguous_school": __(
        "Row {row}: several organisations have the code «{code}»; fill in «Муниципалитет»."
    ),
    "cmp_row_bad_percent": __("Row {row}: «{value}» is not a percentage from 0 to 100."),
    "cmp_row_repeated": __("Row {row}: the organisation «{code}» is already in the table."),
}
