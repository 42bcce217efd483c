"""/results: enter scores (one by one, typed lines, a file), set the maximum and passing
scores, mark winners and publish. Refusals escape to handlers.errors, which rolls back."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import results as kbs
from handlers.refusals import reason_text
from handlers.states_results import ResultsFlow
from handlers.ui import show
from models.enums import Placement
from services.errors import Refused
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.results import access as results_access
from services.results import cards as results
from services.results import entry as results_entry
from services.results import publish as results_publish
from services.results import settings as results_settings
from services.results import upload as results_upload
from services.results.entry import Outcome
from services.tabular.table import MAX_BYTES, TOO_LARGE
from ui.callbacks.results import ResAct, ResCb
from ui.templating import render

router = Router(name=__name__)
_TEXT = F.text & ~F.text.startswith("/")
REPORT_LIMIT = 15  # problems listed in the chat; the report file has them all
CAPTION_LIMIT = 2  # a document's caption holds 1024 characters


def problems(outcomes: list[Outcome]) -> list[tuple[int, str, str]]:
    return [(o.number, o.name, reason_text(o.problem)) for o in outcomes if o.problem]


def describe(outcome: Outcome) -> str:
    if outcome.problem is not None:
        return reason_text(outcome.problem)
    return _("saved, placement left to the organiser") if outcome.placement_ignored else _("saved")


def report_text(outcomes: list[Outcome], limit: int = REPORT_LIMIT) -> str:
    return render(
        "results/report.html", saved=sum(o.ok for o in outcomes), problems=problems(outcomes),
        ignored=any(o.placement_ignored for o in outcomes), limit=limit,
    )  # fmt: skip


async def _card(
    session: AsyncSession,
    ident: Identity,
    event_id: int,
    i18n: I18n,
    viewer: Viewer,
    **note: object,
) -> tuple[str, InlineKeyboardMarkup]:
    card = await results.event_card(session, ident, event_id, i18n.current_locale)
    tz = viewer.zone
    note = {"totals": None, "published": None, "saved": False, **note}
    return render("results/event.html", card=card, tz=tz, **note), kbs.event_kb(card)


async def _people(
    session: AsyncSession, ident: Identity, event_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    found = await results.participants_page(session, ident, event_id, page)
    return render("results/people.html", page=found), kbs.people_kb(found)


@router.message(Command("results"))
async def cmd_results(
    message: Message, session: AsyncSession, ident: Identity, i18n: I18n, state: FSMContext
) -> None:
    await state.clear()
    events = await results.my_events(session, ident, i18n.current_locale)
    text = render("results/events.html", events=events)
    await message.answer(text, reply_markup=kbs.events_kb(events))


@router.callback_query(ResCb.filter(F.act == ResAct.LIST))
async def on_list(
    cq: CallbackQuery, callback_data: ResCb, session: AsyncSession, ident: Identity, i18n: I18n
) -> None:
    events = await results.my_events(session, ident, i18n.current_locale)
    markup = kbs.events_kb(events, callback_data.page)
    await show(cq, render("results/events.html", events=events), markup)


@router.callback_query(ResCb.filter(F.act == ResAct.EVENT))
async def on_event(
    cq: CallbackQuery, callback_data: ResCb, session: AsyncSession, ident: Identity,
    i18n: I18n, viewer: Viewer, state: FSMContext,
) -> None:  # fmt: skip
    text, markup = await _card(session, ident, callback_data.event_id, i18n, viewer)
    await state.set_state(ResultsFlow.event)
    await state.set_data({"event_id": callback_data.event_id})
    await show(cq, text, markup)


@router.callback_query(ResCb.filter(F.act == ResAct.PEOPLE))
async def on_people(
    cq: CallbackQuery, callback_data: ResCb, session: AsyncSession, ident: Identity
) -> None:
    await show(cq, *await _people(session, ident, callback_data.event_id, callback_data.page))


@router.callback_query(ResCb.filter(F.act.in_({ResAct.PERSON, ResAct.PLACE})))
async def on_person(
    cq: CallbackQuery, callback_data: ResCb, session: AsyncSession, ident: Identity,
    clock: Clock, i18n: I18n, state: FSMContext,
) -> None:  # fmt: skip
    reg_id, page = callback_data.reg_id, callback_data.page
    if callback_data.act == ResAct.PLACE:
        placement = Placement(callback_data.value)
        await results_settings.set_placement(session, ident, reg_id, placement, clock.now())
    person, event_id = await results.participant(session, ident, reg_id)
    card = await results.event_card(session, ident, event_id, i18n.current_locale)
    may_enter = card.may_enter and card.open and card.max_score is not None
    if may_enter:
        await state.set_state(ResultsFlow.score)
        await state.set_data({"event_id": event_id, "reg_id": reg_id, "page": page})
    text = render("results/person.html", person=person, may_enter=may_enter)
    await show(cq, text, kbs.person_kb(person, event_id, page, card.organiser and card.open))


@router.message(ResultsFlow.score, _TEXT)
async def on_score(
    message: Message, session: AsyncSession, ident: Identity, clock: Clock, state: FSMContext
) -> None:
    data = await state.get_data()
    await results_entry.set_score(session, ident, data["reg_id"], message.text or "", clock.now())
    await state.set_state(ResultsFlow.event)
    text, markup = await _people(session, ident, data["event_id"], data["page"])
    await message.answer(text, reply_markup=markup)


@router.message(ResultsFlow.event, _TEXT)
async def on_lines(
    message: Message, session: AsyncSession, ident: Identity, clock: Clock, state: FSMContext
) -> None:
    event_id = (await state.get_data())["event_id"]
    entries = results_entry.parse_lines(message.text or "")
    outcomes = await results_entry.apply_entries(
        session, ident, event_id, entries, now=clock.now(), source="chat"
    )
    await message.answer(report_text(outcomes))


@router.message(ResultsFlow.event, F.document)
async def on_file(
    message: Message, bot: Bot, session: AsyncSession, ident: Identity, clock: Clock,
    state: FSMContext,
) -> None:  # fmt: skip
    document = message.document
    assert document is not None
    if (document.file_size or 0) > MAX_BYTES:  # refused before downloading a byte
        raise Refused(TOO_LARGE, limit_mb=f"{MAX_BYTES / 1_000_000:g}")
    buffer = await bot.download(document)
    assert buffer is not None
    name = document.file_name or "results.xlsx"
    event_id = (await state.get_data())["event_id"]
    file = (name, buffer.read())
    outcomes = await results_upload.upload_results(session, ident, event_id, file, clock.now())
    headers = [_("Row"), _("Name"), _("Score"), _("Outcome")]
    report = results_upload.report_file(name, outcomes, headers, describe)
    document_file = BufferedInputFile(report.content, report.filename)
    await message.answer_document(document_file, caption=report_text(outcomes, CAPTION_LIMIT))


@router.callback_query(ResCb.filter(F.act.in_({ResAct.MAX, ResAct.PASSING})))
async def on_ask(
    cq: CallbackQuery, callback_data: ResCb, session: AsyncSession, ident: Identity,
    state: FSMContext,
) -> None:  # fmt: skip
    # Refused before the question: nobody types a value only to learn it was never theirs.
    await results_access.organiser_event(session, ident, callback_data.event_id)
    asked = ResultsFlow.max_score if callback_data.act == ResAct.MAX else ResultsFlow.passing
    await state.set_state(asked)
    await state.set_data({"event_id": callback_data.event_id})
    what = "max" if asked == ResultsFlow.max_score else "passing"
    await show(cq, render("results/ask.html", what=what))


@router.message(StateFilter(ResultsFlow.max_score, ResultsFlow.passing), _TEXT)
async def on_setting(
    message: Message, session: AsyncSession, ident: Identity, clock: Clock, i18n: I18n,
    viewer: Viewer, state: FSMContext,
) -> None:  # fmt: skip
    event_id = (await state.get_data())["event_id"]
    if await state.get_state() == ResultsFlow.max_score.state:
        await results_settings.set_max_score(
            session, ident, event_id, message.text or "", clock.now()
        )
    else:
        await results_settings.set_passing(
            session, ident, event_id, message.text or "", clock.now()
        )
    await state.set_state(ResultsFlow.event)
    text, markup = await _card(session, ident, event_id, i18n, viewer, saved=True)
    await message.answer(text, reply_markup=markup)


@router.callback_query(ResCb.filter(F.act.in_({ResAct.AUTO, ResAct.CONFIRM})))
async def on_close(
    cq: CallbackQuery, callback_data: ResCb, session: AsyncSession, ident: Identity,
    clock: Clock, i18n: I18n, viewer: Viewer,
) -> None:  # fmt: skip
    event_id, now = callback_data.event_id, clock.now()
    if callback_data.act == ResAct.AUTO:
        totals = await results_publish.auto_placements(session, ident, event_id, now)
        await show(cq, *await _card(session, ident, event_id, i18n, viewer, totals=totals))
        return
    published = await results_publish.publish(session, ident, event_id, now)
    await show(cq, *await _card(session, ident, event_id, i18n, viewer, published=published))


@router.callback_query(ResCb.filter(F.act == ResAct.PUBLISH))
async def on_publish(
    cq: CallbackQuery, callback_data: ResCb, session: AsyncSession, ident: Identity, i18n: I18n
) -> None:
    card = await results.event_card(session, ident, callback_data.event_id, i18n.current_locale)
    await show(cq, render("results/publish.html", card=card), kbs.publish_kb(card.id))


@router.callback_query(ResCb.filter(F.act == ResAct.TEMPLATE))
async def on_template(cq: CallbackQuery) -> None:
    await cq.answer()
    if isinstance(cq.message, Message):
        blank = BufferedInputFile(results_upload.blank_file(), "results.xlsx")
        await cq.message.answer_document(blank)
