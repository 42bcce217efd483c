"""One outbox row as a reminder line: step, event, local date-time (and Moscow time), action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from calendars.consent_rule import CONSENT_DUE
from calendars.schema import MOSCOW_TZ, REGISTRATION_CLOSES, Audience, StepKind
from models.enums import Level
from models.outbox import Outbox, OutboxKind
from reminders.checks import Finding
from reminders.due import DueItem
from reminders.texts import (
    finding_title,
    item_label,
    item_title,
    level_label,
    nudge_text,
    step_label,
)
from ui.callbacks.catalog import CatAct, CatCb
from ui.callbacks.consent import ConAct, ConsentCb
from ui.callbacks.reminders import RemAct, ReminderCb
from ui.templating import local_date, local_datetime

MAX_DETAILS = 15


@dataclass(frozen=True, slots=True)
class EventInfo:
    level: Level
    name_ru: str
    name_en: str

    def title(self, locale: str) -> str:
        name = self.name_en if locale == "en" else self.name_ru
        return f"{name}, {level_label(self.level)}"


@dataclass
class ItemView:
    kind: str
    step: str
    at: dt.datetime | None
    step_label: str
    title: str
    short: str  # the subject alone, for buttons
    icon: str = "⏰"
    when: str | None = None  # local date-time (and Moscow time for Moscow-time rules)
    details: list[str] = field(default_factory=list)
    more: int = 0
    finding: str | None = None
    nudge: str | None = None
    button: tuple[str, str] | None = None
    row_ids: list[int] = field(default_factory=list)
    attempts: int = 0


def when_text(at: dt.datetime, zone: str) -> str:
    """Local date-time; a deadline at midnight reads as 23:59 of the day it closes, as on cards."""
    local = at.astimezone(ZoneInfo(zone))
    if local.time() == dt.time(0, 0):
        return f"{local_date(local.date() - dt.timedelta(days=1))}, 23:59"
    return local_datetime(at, zone)


def when_line(at: dt.datetime, step_zone: str | None, zone: str) -> str:
    """The local date-time; for a rule stated in Moscow time, the Moscow time beside it."""
    local = when_text(at, zone)
    if step_zone != MOSCOW_TZ or zone == MOSCOW_TZ:
        return local
    moscow = local_datetime(at, MOSCOW_TZ, "d MMMM, HH:mm")
    return _("%(local)s (%(moscow)s Moscow time)") % {"local": local, "moscow": moscow}


def action(row: Outbox) -> tuple[str, str]:
    """The natural next step: a student opens the catalog card (where they sign up), a parent
    sees the event's dates, staff mark their step done, reports open the event; a missing
    consent opens the consent screen (a curator's: the school's list)."""
    if row.step == CONSENT_DUE:
        return consent_action(row)
    if row.event_id is None:
        return _("What's due"), ReminderCb(act=RemAct.DUE).pack()
    label = _("Register") if row.step == REGISTRATION_CLOSES else _("Open the event")
    if row.kind == OutboxKind.REMINDER and row.audience == Audience.STUDENT.value:
        return label, CatCb(act=CatAct.CARD, ev=row.event_id).pack()
    if row.kind == OutboxKind.REMINDER and row.audience == Audience.PARENT.value:
        act = RemAct.REGISTER if row.step == REGISTRATION_CLOSES else RemAct.OPEN
        return label, ReminderCb(act=act, event_id=row.event_id).pack()
    if row.kind == OutboxKind.REMINDER:
        done = ReminderCb(act=RemAct.DONE, event_id=row.event_id, step=row.step)
        return _("Mark done"), done.pack()
    return _("Open the event"), ReminderCb(act=RemAct.OPEN, event_id=row.event_id).pack()


def consent_action(row: Outbox) -> tuple[str, str]:
    if row.audience == Audience.CURATOR.value:
        school = int((row.payload or {}).get("school", 0))
        return _("Consents"), ConsentCb(act=ConAct.SCHOOL, id=school).pack()
    return _("Consent"), ConsentCb(act=ConAct.LIST).pack()


def item_view(
    row: Outbox, event: EventInfo | None, finding: Finding | None, locale: str, zone: str
) -> ItemView:
    if event is not None:
        title = event.title(locale)
        short = event.name_en if locale == "en" else event.name_ru
    elif row.step == CONSENT_DUE:
        title = _("Consent to take part in the olympiad")
        short = _("Consent")
    else:
        level = (row.payload or {}).get("level", Level.SCHOOL.value)
        short = level_label(level)
        title = _("%(stage)s: all subjects") % {"stage": short}
    view = ItemView(
        row_ids=[row.id],
        attempts=row.attempts,
        kind=row.kind,
        step=row.step,
        at=row.step_at,
        step_label=step_label(row.step),
        title=title,
        short=short,
        button=action(row),
    )
    if row.step_at is not None:
        view.when = when_line(row.step_at, row.step_zone, zone)
    if row.kind == OutboxKind.CHECK:
        view.icon = "📋"
    if row.kind == OutboxKind.NUDGE:
        view.icon, view.nudge = "⚠️", nudge_text(row.step)
    if finding is not None:
        view.finding = finding_title(finding.step)
        view.details = finding.names[:MAX_DETAILS]
        view.more = max(0, len(finding.names) - MAX_DETAILS)
    return view


@dataclass(frozen=True)
class DueLine:
    icon: str
    step_label: str
    title: str
    when: str


def due_line(item: DueItem, locale: str, zone: str) -> DueLine:
    icon = "📋" if item.step.kind == StepKind.CONTROL else "⏰"
    return DueLine(icon, item_label(item, locale), item_title(item, locale),
                   when_line(item.step.due_at, item.step.zone, zone))  # fmt: skip
