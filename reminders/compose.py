"""A person's due rows as Telegram messages: everything due at once goes out as one digest.

Ready-made messages and documents go as they are, in the order they were queued. Reminders,
reports and nudges are rendered in the person's language and zone and merged: 24 subjects with
the same deadline make one message. A digest is split where it would pass Telegram's 4096
characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from models.outbox import Outbox, OutboxDocument, OutboxKind
from reminders.checks import Finding
from reminders.people import Person
from reminders.views import EventInfo, ItemView, item_view
from ui.callbacks.reminders import RemAct, ReminderCb
from ui.templating import render

TEXT_LIMIT = 4000  # under Telegram's 4096, for the characters entities turn into
PAGE_ITEMS = 25
BUTTONS_IN_DIGEST = 4


READY = (OutboxKind.MESSAGE, OutboxKind.DOCUMENT)


@dataclass(frozen=True)
class OutgoingFile:
    """A document to send: its bytes (uploaded) or the file id Telegram gave it."""

    file_name: str
    content: bytes | None
    file_id: str | None


@dataclass
class Outgoing:
    user_id: int
    chat_id: int
    text: str  # the caption when `document` is set
    markup: InlineKeyboardMarkup | None
    row_ids: list[int] = field(default_factory=list)
    attempts: int = 0  # the most any of its rows has been tried
    menu: MenuButtonWebApp | MenuButtonDefault | None = None  # set the menu button instead
    document: OutgoingFile | None = None


def keyboard(rows: Sequence[Sequence[dict[str, str]]] | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    buttons = [[InlineKeyboardButton.model_validate(b) for b in row] for row in rows]
    return InlineKeyboardMarkup(inline_keyboard=buttons)


def compose(
    person: Person,
    rows: Sequence[Outbox],
    events: dict[int, EventInfo],
    findings: dict[int, Finding],
    i18n: I18n,
    documents: Mapping[int, OutboxDocument] | None = None,
) -> list[Outgoing]:
    assert person.chat_id is not None
    out = [
        Outgoing(
            person.user_id,
            person.chat_id,
            row.text or "",
            keyboard(row.buttons),
            [row.id],
            row.attempts,
            document=_file(row, documents or {}),
        )
        for row in rows
        if row.kind in READY
    ]
    menus = [row for row in rows if row.kind == OutboxKind.MENU]
    if menus:
        out.append(_menu(person, menus, i18n))
    latest = _latest_per_step([row for row in rows if row.kind not in (*READY, OutboxKind.MENU)])
    if not latest:
        return out
    with i18n.context(), i18n.use_locale(person.locale):
        views = []
        for row, ids in latest:
            event = events.get(row.event_id or 0)
            view = item_view(row, event, findings.get(row.id), person.locale, person.zone)
            view.row_ids, view.attempts = ids, max(r.attempts for r in rows if r.id in ids)
            views.append(view)
        views.sort(key=lambda v: (v.at is None, v.at, v.title, v.step))
        for page in _pages(views):
            text, markup = _render(page)
            ids = [i for v in page for i in v.row_ids]
            attempts = max(v.attempts for v in page)
            out.append(Outgoing(person.user_id, person.chat_id, text, markup, ids, attempts))
    return out


def _menu(person: Person, rows: Sequence[Outbox], i18n: I18n) -> Outgoing:
    """The latest menu button change wins; the earlier ones are done with it."""
    assert person.chat_id is not None
    last = max(rows, key=lambda r: r.id)
    url = (last.payload or {}).get("url")
    button: MenuButtonWebApp | MenuButtonDefault = MenuButtonDefault()
    if url:
        with i18n.context(), i18n.use_locale(person.locale):
            button = MenuButtonWebApp(text=_("Panel"), web_app=WebAppInfo(url=url))
    ids = [r.id for r in rows]
    attempts = max(r.attempts for r in rows)
    return Outgoing(person.user_id, person.chat_id, "", None, ids, attempts, menu=button)


def _file(row: Outbox, documents: Mapping[int, OutboxDocument]) -> OutgoingFile | None:
    if row.kind != OutboxKind.DOCUMENT:
        return None
    stored = documents.get(row.id)
    if stored is None or (stored.content is None and stored.file_id is None):
        raise LookupError(f"the file of outbox row {row.id} is missing")
    return OutgoingFile(stored.file_name, stored.content, stored.file_id)


def _latest_per_step(rows: list[Outbox]) -> list[tuple[Outbox, list[int]]]:
    """Several reminders of one step due together (a week and a day before, after downtime)
    make one line: the latest one is shown, all are marked sent with it."""
    groups: dict[str, list[Outbox]] = {}
    for row in rows:
        groups.setdefault(row.key.rsplit(":", 1)[0], []).append(row)
    return [
        (max(group, key=lambda r: r.due_at), [r.id for r in group]) for group in groups.values()
    ]


def _render(items: list[ItemView]) -> tuple[str, InlineKeyboardMarkup | None]:
    if len(items) == 1:
        text = render("reminders/reminder.html", item=items[0])
    else:
        text = render("reminders/digest.html", items=items, count=len(items))
    buttons: list[list[dict[str, str]]] = []
    with_action = [v for v in items if v.button is not None]
    if len(items) == 1 and with_action:
        label, data = with_action[0].button or ("", "")
        buttons.append([{"text": label, "callback_data": data}])
    elif len(with_action) <= BUTTONS_IN_DIGEST:
        for view in with_action:
            label, data = view.button or ("", "")
            buttons.append([{"text": f"{label}: {view.short}", "callback_data": data}])
    else:
        buttons.append(
            [{"text": _("What's due"), "callback_data": ReminderCb(act=RemAct.DUE).pack()}]
        )
    return text, keyboard(buttons)


def _pages(views: list[ItemView]) -> list[list[ItemView]]:
    pages: list[list[ItemView]] = []
    page: list[ItemView] = []
    for view in views:
        candidate = [*page, view]
        too_long = len(candidate) > PAGE_ITEMS or len(_render(candidate)[0]) > TEXT_LIMIT
        if page and too_long:
            pages.append(page)
            candidate = [view]
        page = candidate
    if page:
        pages.append(page)
    return pages
