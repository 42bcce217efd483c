"""Localized names of steps, levels and actions (call inside an i18n context)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from models.enums import Level

if TYPE_CHECKING:
    from reminders.due import DueItem

_STEPS = {
    "registration_closes": __("Registration closes"),
    "registration_control": __("Registration check"),
    "stage_day": __("Stage day"),
    "results_due": __("Results due"),
    "results_control": __("Results check"),
    "close_control": __("Closing check"),
    "creation_due": __("Events for all subjects due"),
    "creation_control": __("Event creation check"),
    "consent_due": __("Parent's consent due"),
}
_NUDGES = {
    "registration_control": __("Nobody from your school is registered for it."),
    "results_control": __("The results of your school are not entered yet."),
}
_FINDINGS = {
    "registration_control": __("Schools with nobody registered"),
    "results_control": __("Results not entered"),
    "close_control": __("The event is not closed yet."),
    "creation_due": __("Subjects without an event"),
    "creation_control": __("Subjects without an event"),
    "consent_due": __("No consent yet"),
}
_LEVELS = {
    Level.SCHOOL: __("school stage"),
    Level.MUNICIPAL: __("municipal stage"),
    Level.REGIONAL: __("regional stage"),
}
# The data calendars, as a mute names them (their own titles are in their files).
_CALENDARS = {
    "olympiad": __("Olympiad (VsOSh)"),
    "school_passport": __("School passport"),
    "vpr": __("VPR in FIS OKO"),
    "school_year_switch": __("School year switch (AIS SGO)"),
    "collections": __("FIS OKO data collections"),
}
# Categories a person can mute in the settings (step codes of the rules data).
CATEGORIES = ("registration_closes", "stage_day", "results_due", "creation_due")


def step_label(code: str) -> str:
    label = _STEPS.get(code)
    return str(label) if label is not None else code.replace("_", " ").capitalize()


def calendar_label(code: str) -> str:
    label = _CALENDARS.get(code)
    return str(label) if label is not None else code


def calendar_mute_label(code: str) -> str:
    return _("All reminders of «%(calendar)s»") % {"calendar": calendar_label(code)}


def level_label(level: Level | str) -> str:
    return str(_LEVELS[Level(level)])


def nudge_text(code: str) -> str:
    text = _NUDGES.get(code)
    return str(text) if text is not None else _("This step is not done yet.")


def finding_title(code: str) -> str:
    text = _FINDINGS.get(code)
    return str(text) if text is not None else _("Not done")


def item_label(item: DueItem, locale: str) -> str:
    """What the step is: the olympiad's by its code, another calendar's by its own title."""
    if item.calendar:
        return item.label_en if locale == "en" else item.label_ru
    return step_label(item.step.code)


def item_title(item: DueItem, locale: str) -> str:
    """ "Mathematics, school stage"; a creation deadline names the stage alone."""
    if item.calendar:
        return item.title_en if locale == "en" else item.title_ru
    assert item.level is not None
    if item.event_id is None:
        return _("%(stage)s: all subjects") % {"stage": level_label(item.level)}
    return f"{item.subject(locale)}, {level_label(item.level)}"
