"""Keyboards of the stage screens: creation, status changes, the overview and event cards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from services.rules.lifecycle import Move
from services.stage.card import EventCard
from services.stage.event_edit import EditField
from services.stage.events import EventFacts
from services.stage.overview import OverviewPage
from services.stage.scope import Target, target_code
from ui.callbacks.stage import (
    EventAct,
    EventCb,
    OverviewAct,
    OverviewCb,
    StageAct,
    StageCb,
    StatusAct,
    StatusCb,
)

LEVELS = {
    "school": __("School stage"),
    "municipal": __("Municipal stage"),
    "regional": __("Regional stage"),
}
# The same names inside a sentence ("Русский язык, школьный этап"), where a capital is wrong.
LEVELS_IN_TEXT = {
    "school": __("school stage"),
    "municipal": __("municipal stage"),
    "regional": __("regional stage"),
}
STATUSES = {
    "draft": __("Draft"),
    "registration": __("Registration"),
    "conducting": __("Conducting"),
    "summarizing": __("Summarizing results"),
    "finished": __("Finished"),
    "cancelled": __("Cancelled"),
}
FIELDS = {
    EditField.DATE: __("Date"),
    EditField.GRADES: __("Grades"),
    EditField.PLACE: __("Place and format"),
}
LEVEL_FILTERS: dict[str, Any] = {"": __("All"), **LEVELS}
CHARTS = {"subject": __("📊 By subject"), "school": __("📊 By school")}
PAGE_SIZE = 10


def _btn(text: object, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=str(text)[:60], callback_data=data.pack())


def _kb(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def _mark(move: Move) -> str:
    if move == Move.CANCEL:
        return "✖ "
    return "⚠️ " if move in (Move.SKIP, Move.BACK) else "→ "


def _cancel() -> list[InlineKeyboardButton]:
    return [_btn(_("Cancel"), StageCb(act=StageAct.CANCEL))]


def stage_label(target: Target) -> str:
    return f"{LEVELS[target.level]} · {target.name}"


def stages_kb(stages: Iterable[Target], *, status: bool) -> InlineKeyboardMarkup:
    def data(code: str) -> CallbackData:
        if status:
            return StatusCb(act=StatusAct.STAGE, stage=code)
        return StageCb(act=StageAct.PICK, stage=code)

    return _kb(*([_btn(stage_label(t), data(target_code(t)))] for t in stages))


def upload_kb(code: str, draft: bool) -> InlineKeyboardMarkup:
    mark, drafts = ("☑️" if draft else "⬜"), _("Create as drafts")
    return _kb(
        [_btn(_("📄 Download the template"), StageCb(act=StageAct.TEMPLATE, stage=code))],
        [_btn(f"{mark} {drafts}", StageCb(act=StageAct.DRAFT, stage=code))],
        _cancel(),
    )


def cancel_kb() -> InlineKeyboardMarkup:
    return _kb(_cancel())


def stage_preview_kb(token: str, count: int) -> InlineKeyboardMarkup:
    label = _("✅ Create %(n)s event", "✅ Create %(n)s events", count) % {"n": count}
    confirm = [_btn(label, StageCb(act=StageAct.CONFIRM, token=token))] if count else []
    return _kb(confirm, _cancel())


def status_mode_kb(code: str, has_events: bool) -> InlineKeyboardMarkup:
    modes = (
        (StatusAct.ALL, _("All events of the stage")),
        (StatusAct.SUBJECTS, _("Chosen subjects")),
        (StatusAct.EVENTS, _("One event")),
    )
    rows = [[_btn(label, StatusCb(act=act, stage=code))] for act, label in modes]
    return _kb(*(rows if has_events else []), [_btn(_("« Back"), StatusCb(act=StatusAct.HOME))])


def subjects_kb(
    code: str, events: Sequence[EventFacts], chosen: set[int], locale: str
) -> InlineKeyboardMarkup:
    ticks = [
        _btn(
            f"{'☑️' if e.subject_id in chosen else '⬜'} {e.subject(locale)}",
            StatusCb(act=StatusAct.TOGGLE, stage=code, item=e.subject_id),
        )
        for e in events
    ]
    pairs = [ticks[i : i + 2] for i in range(0, len(ticks), 2)]
    forward = [_btn(_("Next »"), StatusCb(act=StatusAct.TARGET, stage=code))] if chosen else []
    back = [_btn(_("« Back"), StatusCb(act=StatusAct.STAGE, stage=code))]
    return _kb(*pairs, forward, back)


def events_kb(
    code: str, events: Sequence[EventFacts], page: int, locale: str
) -> InlineKeyboardMarkup:
    shown = events[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = [
        [
            _btn(
                f"{e.subject(locale)} · {STATUSES[e.status]}",
                StatusCb(act=StatusAct.TARGET, event_id=e.id),
            )
        ]
        for e in shown
    ]
    pages = -(-len(events) // PAGE_SIZE)
    pager = [
        _btn(text, StatusCb(act=StatusAct.EVENTS, stage=code, item=number))
        for text, number in (("◀", page - 1), ("▶", page + 1))
        if 0 <= number < pages
    ]
    return _kb(*rows, pager, [_btn(_("« Back"), StatusCb(act=StatusAct.STAGE, stage=code))])


def targets_kb(choices: Iterable[tuple[str, Move]], event_id: int = 0) -> InlineKeyboardMarkup:
    rows = [
        [
            _btn(
                f"{_mark(move)}{STATUSES[status]}",
                StatusCb(act=StatusAct.TARGET, event_id=event_id, target=status),
            )
        ]
        for status, move in choices
    ]
    return _kb(*rows, _cancel())


def status_confirm_kb(token: str, ready: bool) -> InlineKeyboardMarkup:
    confirm = [_btn(_("✅ Confirm"), StatusCb(act=StatusAct.CONFIRM, token=token))]
    return _kb(confirm if ready else [], _cancel())


def overview_kb(view: OverviewPage, locale: str) -> InlineKeyboardMarkup:
    level = view.level.value if view.level else ""
    rows = [
        [
            _btn(
                f"✏️ {r.event.subject(locale)} · {LEVELS[r.event.level]}",
                EventCb(act=EventAct.CARD, event_id=r.event.id),
            )
        ]
        for r in view.rows
    ]
    pager = [
        _btn(text, OverviewCb(act=OverviewAct.PAGE, level=level, page=page))
        for text, page in (("◀", view.page - 1), ("▶", view.page + 1))
        if 0 <= page < view.pages
    ]
    levels = [
        _btn(f"• {name}" if code == level else name, OverviewCb(act=OverviewAct.PAGE, level=code))
        for code, name in LEVEL_FILTERS.items()
    ]
    charts = [
        _btn(name, OverviewCb(act=OverviewAct.CHART, level=level, kind=kind))
        for kind, name in CHARTS.items()
    ]
    statuses = [_btn(_("Change statuses…"), StatusCb(act=StatusAct.HOME))]
    return _kb(*rows, pager, levels[:2], levels[2:], charts, statuses)


def card_kb(card: EventCard) -> InlineKeyboardMarkup:
    event_id = card.event.id
    fields = [
        _btn(f"✏️ {label}", EventCb(act=EventAct.FIELD, event_id=event_id, field=field))
        for field, label in FIELDS.items()
    ]
    moves = [
        _btn(
            f"{_mark(m)}{STATUSES[s]}", StatusCb(act=StatusAct.TARGET, event_id=event_id, target=s)
        )
        for s, m in card.status_targets
    ]
    pairs = [moves[i : i + 2] for i in range(0, len(moves), 2)]
    back = [_btn(_("« Overview"), OverviewCb(act=OverviewAct.PAGE))]
    return _kb(fields if card.can_edit else [], *pairs, back)
