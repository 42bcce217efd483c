"""An audit entry in words, the same on screen and in the export: no code reaches a reader."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from aiogram.utils.i18n import gettext as _

from calendars.school_year import school_year_label
from handlers.audit_labels import (
    ACTION_LABELS,
    EXPORT_LAYOUTS,
    FIELD_LABELS,
    GONE_NAMES,
    HIDDEN_FIELDS,
    KIND_NAMES,
    LEVEL_NAMES,
    VALUE_NAMES,
)
from handlers.keyboards.staff import role_label
from services.audit import view as audit_view
from services.audit.names import Named
from services.rules.scores import format_score
from ui.templating import local_date, local_datetime

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# A decimal on its own (14.5), not a part of a date such as 17.10.2026.
DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])")
# "municipal:2025" (a next-stage list) or "school:m3:2026" (a stage created).
STAGE = re.compile(r"(school|municipal|regional):(?:[mr]\d+:)?(\d{4})")
INVITATION = re.compile(r"#(\d+)( · .*)?")


def action_labels() -> dict[str, str]:
    return {code: str(label) for code, label in ACTION_LABELS.items()}


def action_text(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def role_text(code: str) -> str:
    if code in KIND_NAMES:
        return str(KIND_NAMES[code])
    try:
        return role_label(code)
    except ValueError:
        return code


def _moment(text: str, zone: str) -> str | None:
    """An ISO date or moment as the reader writes it; None when `text` is neither."""
    if ISO_DATE.fullmatch(text):
        try:
            return local_date(dt.date.fromisoformat(text))
        except ValueError:
            return None
    if not ISO_MOMENT.match(text):
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return local_datetime(moment, zone, "d MMMM yyyy, HH:mm")


def value_text(key: str, value: str, zone: str) -> str:
    """A recorded value in words: statuses, steps and roles named, dates and decimals the
    way the rest of the bot writes them (17 октября 2026, 14,5)."""
    if key == "role":
        return role_text(value) if value not in ("—", "") else value
    if value in ("True", "False"):
        return _("yes") if value == "True" else _("no")
    names = VALUE_NAMES.get(key)
    if names is not None and value in names:
        return str(names[value])
    moment = _moment(value, zone)
    if moment is not None:
        return moment
    return DECIMAL.sub(lambda m: format_score(float(m.group())), value)


def _named_text(named: Named) -> str:
    if not named.name:
        gone = GONE_NAMES.get(named.kind)
        return str(gone) % {"id": named.key} if gone is not None else named.kind
    level = LEVEL_NAMES.get(named.level or "")
    if named.kind in ("event", "registration") and level is not None:
        return f"{named.name}, {level}"
    if named.kind == "user" and named.role:
        return f"{named.name} ({role_text(named.role)})"
    return named.name


def _code_text(target: str) -> str:
    """A target that names no row: a stage and year, an export, an invitation, the log."""
    if target == "audit":
        return _("Audit log")
    kind, _sep, layout = target.partition(":")
    if kind == "registrations" and layout in EXPORT_LAYOUTS:
        return str(EXPORT_LAYOUTS[layout])
    if stage := STAGE.fullmatch(target):
        year = school_year_label(int(stage.group(2)))
        return f"{LEVEL_NAMES[stage.group(1)]}, {year}"
    if invitation := INVITATION.fullmatch(target):
        number = _("Invitation #%(id)s") % {"id": invitation.group(1)}
        return number + (invitation.group(2) or "")
    return target


def target_text(line: audit_view.AuditLine) -> str:
    """The target in words ("Математика, школьный этап"), a gone row said to be gone."""
    if line.named:
        return " · ".join(_named_text(named) for named in line.named)
    return _code_text(line.target)


def readable(line: audit_view.AuditLine, zone: str) -> audit_view.AuditLine:
    """The line as a reader sees it, on screen and in the export alike."""
    changes = tuple(
        audit_view.Change(
            str(FIELD_LABELS.get(c.key, c.key)),
            value_text(c.key, c.before, zone) if c.before else "",
            value_text(c.key, c.after, zone),
        )
        for c in line.changes
        if c.key not in HIDDEN_FIELDS
    )
    return replace(line, target=target_text(line), changes=changes)


def change_text(change: audit_view.Change) -> str:
    """ "Статус: Регистрация → Проведение"; a value first written has no arrow."""
    if not change.before:
        return f"{change.key}: {change.after}"
    return f"{change.key}: {change.before} → {change.after}"
