"""/audit: the recent log of staff actions in my scope, and its export as .xlsx."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import staff as kbs
from handlers.keyboards.staff import role_label
from handlers.ui import show
from services import audit_view
from services.identity import Identity
from services.places import Paged
from services.viewer import Viewer
from services.xlsx_export import Sheet, build_workbook
from ui.callbacks.staff import AuditAct, AuditCb
from ui.templating import local_date, local_datetime, render

router = Router(name=__name__)
MESSAGE_LIMIT = 4096

# What the recorded action codes mean to a reader; an unknown code is shown as it is.
ACTION_LABELS: dict[str, Any] = {
    "invitation_create": __("Invitation created"),
    "invitation_revoke": __("Invitation taken back"),
    "invitation_accept": __("Invitation accepted"),
    "role_revoke": __("Role taken away"),
    "audit_export": __("Audit log exported"),
    "stage_create": __("Stage created"),
    "event_edit": __("Event edited"),
    "status_change": __("Status changed"),
    "result_entered": __("Result entered"),
    "results_upload": __("Results uploaded"),
    "results_published": __("Results published"),
    "placements_computed": __("Winners and prize-winners computed"),
    "placement_set": __("Placement set"),
    "max_score_set": __("Maximum score set"),
    "passing_score_set": __("Passing score set"),
    "list_formed": __("Next-stage list formed"),
    "register_student": __("Student registered"),
    "unregister_student": __("Registration cancelled"),
    "export": __("Data exported"),
}


# The keys of the before/after snapshots; an unknown key is shown as it is.
FIELD_LABELS: dict[str, Any] = {
    "status": __("Status"),
    "move": __("Step"),
    "role": __("Role"),
    "holder": __("Person"),
    "date": __("Date"),
    "place": __("Place and format"),
    "grades": __("Grades"),
    "expires_at": __("Valid until"),
    "revoked": __("Taken back"),
    "rows": __("Rows"),
    "score": __("Score"),
    "placement": __("Placement"),
    "max_score": __("Maximum score"),
    "default": __("Passing score"),
    "per_grade": __("Passing score by grade"),
    "participants": __("Participants"),
    "absent": __("Absent"),
    "source": __("Source"),
    "saved": __("Saved"),
    "failed": __("Not saved"),
}
STATUS_NAMES: dict[str, Any] = {
    "draft": __("Draft"),
    "registration": __("Registration"),
    "conducting": __("Conducting"),
    "summarizing": __("Summarizing results"),
    "finished": __("Finished"),
    "cancelled": __("Cancelled"),
}
MOVE_NAMES: dict[str, Any] = {
    "forward": __("forward"),
    "skip": __("over a step"),
    "back": __("backwards"),
    "cancel": __("to cancelled"),
}
LEVEL_NAMES: dict[str, Any] = {
    "school": __("school stage"),
    "municipal": __("municipal stage"),
    "regional": __("regional stage"),
}
PLACEMENT_NAMES: dict[str, Any] = {
    "winner": __("winner"),
    "prize": __("prize-winner"),
    "participant": __("participant"),
}
KIND_NAMES: dict[str, Any] = {
    "student": __("student"),
    "parent": __("parent"),
    "staff": __("staff member"),
}
# Which keys hold a code of which kind; their values are named in words.
VALUE_NAMES: dict[str, dict[str, Any]] = {
    "status": STATUS_NAMES,
    "move": MOVE_NAMES,
    "placement": PLACEMENT_NAMES,
}
PLACE_ICONS = {"school": "🏫", "municipality": "🏙", "region": "🗺"}


def register_action_labels(labels: Mapping[str, Any]) -> None:
    """Lets a feature name its own audit actions (lazy translations)."""
    ACTION_LABELS.update(labels)


def _labels() -> dict[str, str]:
    return {code: str(label) for code, label in ACTION_LABELS.items()}


def _role(code: str) -> str:
    if code in KIND_NAMES:
        return str(KIND_NAMES[code])
    try:
        return role_label(code)
    except ValueError:
        return code


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


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
    """A recorded value in words: statuses, steps and roles named, dates in the local way."""
    if key == "role":
        return _role(value) if value != "—" else value
    if value in ("True", "False"):
        return _("yes") if value == "True" else _("no")
    names = VALUE_NAMES.get(key)
    if names is not None and value in names:
        return str(names[value])
    return _moment(value, zone) or value


def target_text(line: audit_view.AuditLine) -> str:
    """The target in words ("Математика, школьный этап"); the raw code when its rows are gone."""
    if not line.named:
        return line.target
    parts = []
    for named in line.named:
        if named.kind == "event" and named.level:
            level = LEVEL_NAMES.get(named.level)
            parts.append(f"{named.name}, {level}" if level else named.name)
        elif named.kind == "user" and named.role:
            parts.append(f"{named.name} ({_role(named.role)})")
        else:
            parts.append(named.name)
    return " · ".join(parts)


def readable(line: audit_view.AuditLine, zone: str) -> audit_view.AuditLine:
    """The line as a reader sees it, on screen and in the export alike."""
    changes = tuple(
        audit_view.Change(
            str(FIELD_LABELS.get(c.key, c.key)),
            value_text(c.key, c.before, zone),
            value_text(c.key, c.after, zone),
        )
        for c in line.changes
    )
    return replace(line, target=target_text(line), changes=changes)


async def _screen(
    session: AsyncSession, ident: Identity, page: int, locale: str, viewer: Viewer
) -> tuple[str, InlineKeyboardMarkup]:
    found = await audit_view.audit_page(session, ident, page, locale)
    zone = viewer.zone
    items = tuple(readable(line, zone) for line in found.items)
    log = Paged(items, found.page, found.total, found.size)
    context = {"log": log, "tz": zone, "labels": _labels(), "icons": PLACE_ICONS}
    text = render("audit/page.html", **context, compact=False)
    if len(text) > MESSAGE_LIMIT:
        # Long before/after snapshots: the page still lists who did what; the export has it all.
        text = render("audit/page.html", **context, compact=True)
    return text, kbs.audit_kb(found)


@router.message(Command("audit"))
async def cmd_audit(
    message: Message, session: AsyncSession, ident: Identity, viewer: Viewer, i18n: I18n
) -> None:
    text, markup = await _screen(session, ident, 0, i18n.current_locale, viewer)
    await message.answer(text, reply_markup=markup)


@router.callback_query(AuditCb.filter(F.act == AuditAct.PAGE))
async def on_page(
    cq: CallbackQuery,
    callback_data: AuditCb,
    session: AsyncSession,
    ident: Identity,
    viewer: Viewer,
    i18n: I18n,
) -> None:
    await show(cq, *await _screen(session, ident, callback_data.page, i18n.current_locale, viewer))


def _rows(lines: list[audit_view.AuditLine], zone: str) -> list[list[Any]]:
    labels, tz = _labels(), ZoneInfo(zone)
    lines = [readable(line, zone) for line in lines]
    return [
        [
            line.at.astimezone(tz).replace(tzinfo=None),
            line.actor or "",
            labels.get(line.action, line.action),
            line.place,
            line.target,
            "\n".join(f"{c.key}: {c.before} → {c.after}" for c in line.changes),
            line.reason or "",
            _("yes") if line.exceptional else "",
        ]
        for line in lines
    ]


@router.callback_query(AuditCb.filter(F.act == AuditAct.EXPORT))
async def on_export(
    cq: CallbackQuery,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    viewer: Viewer,
    i18n: I18n,
    bot: Bot,
) -> None:
    now = clock.now()
    lines = await audit_view.audit_export(session, ident, now, i18n.current_locale)
    zone = viewer.zone
    headers = [
        _("When (%(zone)s)") % {"zone": zone},
        _("Who"),
        _("Action"),
        _("Place"),
        _("Target"),
        _("Before → after"),
        _("Reason"),
        _("Exceptional"),
    ]
    content = build_workbook([Sheet(_("Audit log"), headers, _rows(lines, zone))])
    stamp = now.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d")
    document = BufferedInputFile(content, filename=f"audit-{stamp}.xlsx")
    await cq.answer()
    await bot.send_document(cq.from_user.id, document, caption=_("Audit log of your scope."))
