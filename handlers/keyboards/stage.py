"""Keyboards of the stage screens: creation, status changes, the overview and event cards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.callbacks_stage import (
    EventAct,
    EventCb,
    OverviewAct,
    OverviewCb,
    StageAct,
    StageCb,
    StatusAct,
    StatusCb,
)
from services.event_edit import EditField
from services.overview import OverviewPage
from services.rules.lifecycle import Move
from services.stage_card import EventCard
from services.stage_events import EventFacts
from services.stage_scope import Target, target_code

LEVELS = {"school": __("School stage"), "municipal": __("Municipal stage"),
          "regional": __("Regional stage")}  # fmt: skip
STATUSES = {
    "draft": __("Draft"),
    "registration": __("Registration"),
    "conducting": __("Conducting"),
    "summarizing": __("Summarizing results"),
    "finished": __("Finished"),
    "cancelled": __("Cancelled"),
}
FIELDS = {EditField.DATE: __("Date"), EditField.GRADES: __("Grades"),
          EditField.PLACE: __("Place and format")}  # fmt: skip
PAGE_SIZE = 10


def stage_label(target: Target) -> str:
    return f"{LEVELS[target.level]} · {target.name}"[:60]


def stages_kb(stages: Iterable[Target], *, status: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for target in stages:
        code = target_code(target)
        data = (StatusCb(act=StatusAct.STAGE, stage=code) if status
                else StageCb(act=StageAct.PICK, stage=code))  # fmt: skip
        kb.button(text=stage_label(target), callback_data=data)
    kb.adjust(1)
    return kb.as_markup()


def upload_kb(code: str, draft: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("📄 Download the template"), callback_data=StageCb(act=StageAct.TEMPLATE, stage=code))
    mark = "☑️" if draft else "⬜"
    kb.button(text=f"{mark} {_('Create as drafts')}", callback_data=StageCb(act=StageAct.DRAFT, stage=code))
    kb.button(text=_("Cancel"), callback_data=StageCb(act=StageAct.CANCEL))
    kb.adjust(1)
    return kb.as_markup()


def stage_preview_kb(token: str, count: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if count:
        label = _("✅ Create %(n)s event", "✅ Create %(n)s events", count) % {"n": count}
        kb.button(text=label, callback_data=StageCb(act=StageAct.CONFIRM, token=token))
    kb.button(text=_("Cancel"), callback_data=StageCb(act=StageAct.CANCEL))
    kb.adjust(1)
    return kb.as_markup()


def status_mode_kb(code: str, has_events: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if has_events:
        kb.button(text=_("All events of the stage"), callback_data=StatusCb(act=StatusAct.ALL, stage=code))
        kb.button(text=_("Chosen subjects"), callback_data=StatusCb(act=StatusAct.SUBJECTS, stage=code))
        kb.button(text=_("One event"), callback_data=StatusCb(act=StatusAct.EVENTS, stage=code))
    kb.button(text=_("« Back"), callback_data=StatusCb(act=StatusAct.HOME))
    kb.adjust(1)
    return kb.as_markup()


def subjects_kb(code: str, events: Sequence[EventFacts], chosen: set[int], locale: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for event in events:
        mark = "☑️" if event.subject_id in chosen else "⬜"
        data = StatusCb(act=StatusAct.TOGGLE, stage=code, item=event.subject_id)
        kb.button(text=f"{mark} {event.subject(locale)}"[:60], callback_data=data)
    kb.adjust(2)
    if chosen:
        kb.row()
        kb.button(text=_("Next »"), callback_data=StatusCb(act=StatusAct.TARGET, stage=code))
    kb.row()
    kb.button(text=_("« Back"), callback_data=StatusCb(act=StatusAct.STAGE, stage=code))
    return kb.as_markup()


def events_kb(code: str, events: Sequence[EventFacts], page: int, locale: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    shown = events[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    for event in shown:
        label = f"{event.subject(locale)} · {STATUSES[event.status]}"[:60]
        kb.button(text=label, callback_data=StatusCb(act=StatusAct.TARGET, event_id=event.id))
    kb.adjust(1)
    pager = []
    if page > 0:
        pager.append(("◀", page - 1))
    if (page + 1) * PAGE_SIZE < len(events):
        pager.append(("▶", page + 1))
    if pager:
        kb.row()
        for text, number in pager:
            kb.button(text=text, callback_data=StatusCb(act=StatusAct.EVENTS, stage=code, item=number))
    kb.row()
    kb.button(text=_("« Back"), callback_data=StatusCb(act=StatusAct.STAGE, stage=code))
    return kb.as_markup()


def targets_kb(choices: Iterable[tuple[str, Move]], event_id: int = 0) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for status, move in choices:
        mark = "⚠️ " if move in (Move.SKIP, Move.BACK) else ("✖ " if move == Move.CANCEL else "→ ")
        data = StatusCb(act=StatusAct.TARGET, event_id=event_id, target=status)
        kb.button(text=f"{mark}{STATUSES[status]}", callback_data=data)
    kb.button(text=_("Cancel"), callback_data=StatusCb(act=StatusAct.CANCEL))
    kb.adjust(1)
    return kb.as_markup()


def status_confirm_kb(token: str, ready: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if ready:
        kb.button(text=_("✅ Confirm"), callback_data=StatusCb(act=StatusAct.CONFIRM, token=token))
    kb.button(text=_("Cancel"), callback_data=StatusCb(act=StatusAct.CANCEL))
    kb.adjust(1)
    return kb.as_markup()


def overview_kb(view: OverviewPage, locale: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    level = view.level.value if view.level else ""
    for row in view.rows:
        label = f"✏️ {row.event.subject(locale)} · {LEVELS[row.event.level]}"[:60]
        kb.button(text=label, callback_data=EventCb(act=EventAct.CARD, event_id=row.event.id))
    kb.adjust(1)
    if view.pages > 1:
        kb.row()
        if view.page > 0:
            kb.button(text="◀", callback_data=OverviewCb(act=OverviewAct.PAGE, level=level, page=view.page - 1))
        if view.page < view.pages - 1:
            kb.button(text="▶", callback_data=OverviewCb(act=OverviewAct.PAGE, level=level, page=view.page + 1))
    kb.row()
    for code, label in (("", __("All")), *LEVELS.items()):
        text = f"• {label}" if code == level else str(label)
        kb.button(text=text, callback_data=OverviewCb(act=OverviewAct.PAGE, level=code))
    kb.row()
    for kind, label in (("subject", __("📊 By subject")), ("school", __("📊 By school"))):
        kb.button(text=str(label), callback_data=OverviewCb(act=OverviewAct.CHART, level=level, kind=kind))
    kb.row()
    kb.button(text=_("Change statuses…"), callback_data=StatusCb(act=StatusAct.HOME))
    return kb.as_markup()


def card_kb(card: EventCard) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if card.can_edit:
        for field, label in FIELDS.items():
            data = EventCb(act=EventAct.FIELD, event_id=card.event.id, field=field)
            kb.button(text=f"✏️ {label}", callback_data=data)
    for status, move in card.status_targets:
        mark = "⚠️ " if move in (Move.SKIP, Move.BACK) else ("✖ " if move == Move.CANCEL else "→ ")
        data = StatusCb(act=StatusAct.TARGET, event_id=card.event.id, target=status)
        kb.button(text=f"{mark}{STATUSES[status]}", callback_data=data)
    kb.button(text=_("« Overview"), callback_data=OverviewCb(act=OverviewAct.PAGE))
    kb.adjust(3 if card.can_edit else 2, 2)
    return kb.as_markup()
