"""Keyboards of the results, next-stage list and export screens."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from models.enums import Level, Placement
from services.admission.preview import Preview
from services.exports.lists import Layout
from services.results.cards import EventCard, EventItem, Participant, ParticipantsPage
from services.rules.scores import format_score
from ui.callbacks.results import AdmAct, AdmCb, ExpCb, ResAct, ResCb

NAME_WIDTH = 40
EVENTS_PAGE = 10


def level_label(level: Level) -> str:
    return {
        Level.SCHOOL: _("school stage"),
        Level.MUNICIPAL: _("municipal stage"),
        Level.REGIONAL: _("regional stage"),
    }[level]


def events_kb(events: list[EventItem], page: int = 0) -> InlineKeyboardMarkup:
    """A page of events: a deployment admin may see every event being summed up."""
    pages = max(1, -(-len(events) // EVENTS_PAGE))
    page = min(max(page, 0), pages - 1)
    kb = InlineKeyboardBuilder()
    for event in events[page * EVENTS_PAGE : (page + 1) * EVENTS_PAGE]:
        label = f"{event.subject} · {level_label(event.level)} · {event.held_on:%d.%m}"
        kb.button(text=label, callback_data=ResCb(act=ResAct.EVENT, event_id=event.id))
    kb.adjust(1)
    nav = InlineKeyboardBuilder()
    for target, label in ((page - 1, "◀"), (page + 1, "▶")):
        if 0 <= target < pages:
            nav.button(text=label, callback_data=ResCb(act=ResAct.LIST, page=target))
    kb.attach(nav)
    return kb.as_markup()


def event_kb(card: EventCard) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    act = ResCb(act=ResAct.PEOPLE, event_id=card.id)
    kb.button(text=_("Participants ({n})").format(n=card.total), callback_data=act)
    if card.organiser and card.open:
        for action, label in (
            (ResAct.MAX, _("Set maximum score")),
            (ResAct.PASSING, _("Set passing score")),
            (ResAct.AUTO, _("Winners by the rule")),
            (ResAct.PUBLISH, _("Publish results")),
        ):
            kb.button(text=label, callback_data=ResCb(act=action, event_id=card.id))
    elif card.organiser and card.published_at is None:
        kb.button(
            text=_("Publish results"), callback_data=ResCb(act=ResAct.PUBLISH, event_id=card.id)
        )
    if card.may_enter and card.open:
        kb.button(
            text=_("Blank results file"),
            callback_data=ResCb(act=ResAct.TEMPLATE, event_id=card.id),
        )
    kb.button(text=_("« All events"), callback_data=ResCb(act=ResAct.LIST))
    kb.adjust(1)
    return kb.as_markup()


def people_kb(page: ParticipantsPage) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for person in page.items:
        score = format_score(person.score) or "—"
        cb = ResCb(act=ResAct.PERSON, event_id=page.event_id, reg_id=person.reg_id, page=page.page)
        kb.button(text=f"{person.name[:NAME_WIDTH]} — {score}", callback_data=cb)
    kb.adjust(1)
    nav = InlineKeyboardBuilder()
    for target, label in ((page.page - 1, "◀"), (page.page + 1, "▶")):
        if 0 <= target < page.pages:
            cb = ResCb(act=ResAct.PEOPLE, event_id=page.event_id, page=target)
            nav.button(text=label, callback_data=cb)
    nav.button(text=_("« Event"), callback_data=ResCb(act=ResAct.EVENT, event_id=page.event_id))
    kb.attach(nav)
    return kb.as_markup()


def person_kb(
    person: Participant, event_id: int, page: int, organiser: bool
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if organiser and person.score is not None:
        for placement, label in (
            (Placement.WINNER, _("Winner")),
            (Placement.PRIZE, _("Prize-winner")),
            (Placement.PARTICIPANT, _("Participant")),
        ):
            mark = "✓ " if person.placement == placement else ""
            cb = ResCb(
                act=ResAct.PLACE,
                event_id=event_id,
                reg_id=person.reg_id,
                page=page,
                value=placement,
            )
            kb.button(text=mark + label, callback_data=cb)
    kb.button(
        text=_("« Participants"),
        callback_data=ResCb(act=ResAct.PEOPLE, event_id=event_id, page=page),
    )
    kb.adjust(3, 1)
    return kb.as_markup()


def publish_kb(event_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("Yes, publish"), callback_data=ResCb(act=ResAct.CONFIRM, event_id=event_id))
    kb.button(text=_("« Event"), callback_data=ResCb(act=ResAct.EVENT, event_id=event_id))
    kb.adjust(1)
    return kb.as_markup()


def targets_kb(targets: list[tuple[str, int, str]]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for level, scope_id, label in targets:
        kb.button(
            text=label, callback_data=AdmCb(act=AdmAct.PREVIEW, level=level, scope_id=scope_id)
        )
    kb.adjust(1)
    return kb.as_markup()


def preview_kb(preview: Preview, scope_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    level = str(preview.target.level)
    if preview.new:
        label = _("Admit ({n})").format(n=preview.new)
        kb.button(
            text=label, callback_data=AdmCb(act=AdmAct.COMMIT, level=level, scope_id=scope_id)
        )
    for act, label in (
        (AdmAct.AWARDS, _("Upload last year's winners")),
        (AdmAct.TEMPLATE, _("Blank winners file")),
        (AdmAct.PREVIEW, _("Refresh")),
    ):
        kb.button(text=label, callback_data=AdmCb(act=act, level=level, scope_id=scope_id))
    kb.adjust(1)
    return kb.as_markup()


def refresh_kb(level: str, scope_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    cb = AdmCb(act=AdmAct.PREVIEW, level=level, scope_id=scope_id)
    kb.button(text=_("Refresh"), callback_data=cb)
    return kb.as_markup()


def layouts_kb() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("A sheet per subject"), callback_data=ExpCb(layout=Layout.BY_SUBJECT))
    kb.button(text=_("One sheet"), callback_data=ExpCb(layout=Layout.FLAT))
    kb.adjust(1)
    return kb.as_markup()
