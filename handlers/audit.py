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
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers import audit_words
from handlers.audit_labels import ACTION_LABELS
from handlers.keyboards import staff as kbs
from handlers.ui import show
from services.audit import view as audit_view
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.staff.places import Paged
from services.tabular.xlsx_export import Sheet, build_workbook
from ui.callbacks.staff import AuditAct, AuditCb
from ui.templating import render

router = Router(name=__name__)
MESSAGE_LIMIT = 4096

PLACE_ICONS = {"school": "🏫", "municipality": "🏙", "region": "🗺"}
# The words of the log live in handlers.audit_words; these names are what other modules use.
readable = audit_words.readable
_labels = audit_words.action_labels


def register_action_labels(labels: Mapping[str, Any]) -> None:
    """Lets a feature name its own audit actions (lazy translations)."""
    ACTION_LABELS.update(labels)


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
            "\n".join(audit_words.change_text(c) for c in line.changes),
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
