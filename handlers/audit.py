"""/audit: the recent log of staff actions in my scope, and its export as .xlsx."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from bot.templating import render
from handlers.callbacks_staff import AuditAct, AuditCb
from handlers.keyboards import staff as kbs
from handlers.ui import show
from services import audit_view
from services.clock import Clock
from services.identity import Identity
from services.staff import staff_timezone
from services.xlsx_export import Sheet, build_workbook

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


def register_action_labels(labels: Mapping[str, Any]) -> None:
    """Lets a feature name its own audit actions (lazy translations)."""
    ACTION_LABELS.update(labels)


def _labels() -> dict[str, str]:
    return {code: str(label) for code, label in ACTION_LABELS.items()}


async def _screen(
    session: AsyncSession, ident: Identity, page: int, locale: str, settings: Settings
) -> tuple[str, InlineKeyboardMarkup]:
    log = await audit_view.audit_page(session, ident, page, locale)
    zone = await staff_timezone(session, ident, settings.default_timezone)
    text = render("audit/page.html", log=log, tz=zone, labels=_labels(), compact=False)
    if len(text) > MESSAGE_LIMIT:
        # Long before/after snapshots: the page still lists who did what; the export has it all.
        text = render("audit/page.html", log=log, tz=zone, labels=_labels(), compact=True)
    return text, kbs.audit_kb(log)


@router.message(Command("audit"))
async def cmd_audit(
    message: Message, session: AsyncSession, ident: Identity, settings: Settings, i18n: I18n
) -> None:
    text, markup = await _screen(session, ident, 0, i18n.current_locale, settings)
    await message.answer(text, reply_markup=markup)


@router.callback_query(AuditCb.filter(F.act == AuditAct.PAGE))
async def on_page(
    cq: CallbackQuery,
    callback_data: AuditCb,
    session: AsyncSession,
    ident: Identity,
    settings: Settings,
    i18n: I18n,
) -> None:
    await show(
        cq, *await _screen(session, ident, callback_data.page, i18n.current_locale, settings)
    )


def _rows(lines: list[audit_view.AuditLine], zone: str) -> list[list[Any]]:
    labels, tz = _labels(), ZoneInfo(zone)
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
    settings: Settings,
    i18n: I18n,
    bot: Bot,
) -> None:
    now = clock.now()
    lines = await audit_view.audit_export(session, ident, now, i18n.current_locale)
    zone = await staff_timezone(session, ident, settings.default_timezone)
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
