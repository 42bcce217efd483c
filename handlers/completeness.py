"""/completeness: how completely organisations' cards are filled in АИС СГО (seed 001).

A responsible person reports their organisation's percentage; a coordinator sees the figures
per municipality, the low ones first, uploads a table of them and reminds the low ones.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.collections import TYPED
from handlers.keyboards.collections import completeness_kb
from handlers.refusals import reason_text
from handlers.states_collections import CompletenessFlow
from handlers.ui import show
from models.geo import School
from services.collections.people import coordinated_scopes
from services.completeness import store
from services.completeness.bands import Band, parse_percent, percent_text
from services.completeness.reminders import remind_low
from services.completeness.table import blank_table, import_table
from services.errors import Refused
from services.people.identity import Identity
from services.people.viewer import Viewer
from services.tabular.table import MAX_BYTES, TOO_LARGE
from ui.callbacks.collections import CmpAct, CmpCb
from ui.templating import render

router = Router(name=__name__)
ICONS = {Band.LOW: "🔴", Band.MEDIUM: "🟡", Band.HIGH: "🟢"}
SHOWN_PER_MUNICIPALITY = 15
FEWER = 5
SHOWN_ERRORS = 20
# Telegram counts UTF-16 units (an emoji is two) and 4096 of them after the tags are parsed.
TEXT_BUDGET = 4000


def band_names() -> dict[Band, str]:
    return {Band.LOW: _("low"), Band.MEDIUM: _("medium"), Band.HIGH: _("high")}


async def _home(session: AsyncSession, ident: Identity) -> tuple[str, InlineKeyboardMarkup]:
    own = await store.own_figures(session, ident)
    coordinator = bool(coordinated_scopes(ident))
    groups = (await store.scope_figures(session, ident))[1] if coordinator else []
    if not own and not coordinator:
        raise Refused("cmp_nobody")
    return _fitting(own, groups), completeness_kb(
        [(o.school_id, o.name) for o in own], coordinator
    )


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _text(
    own: list[store.OrgFigure], groups: list[store.MunicipalityFigures], shown: int, limit: int
) -> str:
    return render("completeness/home.html", own=own[:SHOWN_PER_MUNICIPALITY],
                  groups=groups[:shown], more=len(groups) - shown, icons=ICONS,
                  band_names=band_names(), percent=percent_text, limit=limit)  # fmt: skip


def _fitting(own: list[store.OrgFigure], groups: list[store.MunicipalityFigures]) -> str:
    """Fewer organisations per municipality, then fewer municipalities, until the text fits a
    message (the low ones come first in each, so they are the ones still shown)."""
    for limit in (SHOWN_PER_MUNICIPALITY, FEWER, 1):
        text = _text(own, groups, len(groups), limit)
        if _units(text) <= TEXT_BUDGET:
            return text
    shown = len(groups)
    while shown > 0:
        shown -= max(1, shown // 4)
        text = _text(own, groups, shown, 1)
        if _units(text) <= TEXT_BUDGET:
            break
    return text


@router.message(Command("completeness"))
async def cmd_completeness(
    message: Message, session: AsyncSession, ident: Identity, state: FSMContext
) -> None:
    await state.set_state(None)
    text, markup = await _home(session, ident)
    await message.answer(text, reply_markup=markup)


@router.callback_query(CmpCb.filter(F.act == CmpAct.HOME))
async def on_home(cq: CallbackQuery, session: AsyncSession, ident: Identity) -> None:
    await show(cq, *await _home(session, ident))


@router.callback_query(CmpCb.filter(F.act == CmpAct.REPORT))
async def on_report(
    cq: CallbackQuery, callback_data: CmpCb, session: AsyncSession, state: FSMContext
) -> None:
    school = await session.get(School, callback_data.s)
    if school is None:
        raise Refused("unknown_school")
    await state.set_state(CompletenessFlow.percent)
    await state.update_data(school=school.id)
    await show(cq, render("completeness/ask_percent.html", school=school.name))


@router.message(CompletenessFlow.percent, TYPED)
async def on_percent(
    message: Message, session: AsyncSession, ident: Identity, viewer: Viewer, state: FSMContext
) -> None:
    tenths = parse_percent(message.text or "")
    school_id = int((await state.get_data()).get("school") or 0)
    band = await store.report_own(session, ident, school_id, tenths, viewer.now)
    await state.set_state(None)
    saved = render("completeness/saved.html", percent=percent_text(tenths),
                   band=band_names()[band])  # fmt: skip
    await message.answer(saved)
    text, markup = await _home(session, ident)
    await message.answer(text, reply_markup=markup)


@router.callback_query(CmpCb.filter(F.act == CmpAct.UPLOAD))
async def on_upload(
    cq: CallbackQuery, session: AsyncSession, ident: Identity, state: FSMContext
) -> None:
    await store.scope_figures(session, ident)  # only a coordinator gets this far
    await state.set_state(CompletenessFlow.table)
    await show(cq, render("completeness/ask_table.html"))


@router.callback_query(CmpCb.filter(F.act == CmpAct.BLANK))
async def on_blank(cq: CallbackQuery, bot: Bot) -> None:
    await cq.answer()
    await bot.send_document(cq.from_user.id, BufferedInputFile(blank_table(), "completeness.xlsx"))


@router.message(CompletenessFlow.table, F.document)
async def on_table(  # noqa: PLR0913 - the file, the person and the clock
    message: Message, bot: Bot, session: AsyncSession, ident: Identity, viewer: Viewer,
    state: FSMContext,
) -> None:  # fmt: skip
    document = message.document
    assert document is not None
    if (document.file_size or 0) > MAX_BYTES:  # refused before downloading a byte
        raise Refused(TOO_LARGE, limit_mb=f"{MAX_BYTES / 1_000_000:g}")
    buffer = await bot.download(document)
    assert buffer is not None
    name = document.file_name or "table.xlsx"
    outcome = await import_table(session, ident, name, buffer.read(), viewer.now)
    if outcome.errors:
        lines = [reason_text(error) for error in outcome.errors[:SHOWN_ERRORS]]
        more = max(0, len(outcome.errors) - SHOWN_ERRORS)
        await message.answer(render("completeness/table_errors.html", errors=lines, more=more))
        return  # the state stays: the corrected table can be sent straight away
    await state.set_state(None)
    await message.answer(render("completeness/imported.html", n=outcome.saved))
    text, markup = await _home(session, ident)
    await message.answer(text, reply_markup=markup)


@router.callback_query(CmpCb.filter(F.act == CmpAct.REMIND))
async def on_remind(
    cq: CallbackQuery, session: AsyncSession, ident: Identity, viewer: Viewer
) -> None:
    orgs, messages = await remind_low(session, ident, viewer.now, viewer.default_zone)
    await cq.answer()
    assert cq.message is not None
    await cq.message.answer(render("completeness/reminded.html", orgs=orgs, messages=messages))
