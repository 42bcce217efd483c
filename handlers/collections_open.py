"""Opening a data collection: title → opens → closes → organisations → template (seed 004)."""

from __future__ import annotations

import datetime as dt

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.collections import TYPED, card_screen
from handlers.keyboards import collections as kbs
from handlers.states_collections import CollectionFlow
from handlers.ui import show
from models.geo import Municipality
from services.collections.access import coordinator_scope
from services.collections.opening import (
    Draft,
    check_title,
    check_window,
    open_collection,
    schools_by_codes,
)
from services.collections.times import parse_moscow
from services.people.identity import Identity
from services.people.viewer import Viewer
from ui.callbacks.collections import ColAct, ColCb
from ui.templating import render

router = Router(name=__name__)


@router.callback_query(ColCb.filter(F.act == ColAct.NEW))
async def on_new(
    cq: CallbackQuery, session: AsyncSession, ident: Identity, state: FSMContext
) -> None:
    await coordinator_scope(session, ident)
    await state.set_state(CollectionFlow.title)
    await state.set_data({})
    await show(cq, render("collections/ask_title.html"))


@router.message(CollectionFlow.title, TYPED)
async def on_title(message: Message, state: FSMContext) -> None:
    await state.update_data(title=check_title(message.text or ""))
    await state.set_state(CollectionFlow.opens)
    await message.answer(render("collections/ask_opens.html"))


@router.message(CollectionFlow.opens, TYPED)
async def on_opens(message: Message, state: FSMContext) -> None:
    opens = parse_moscow(message.text or "")
    await state.update_data(opens=opens.isoformat())
    await state.set_state(CollectionFlow.closes)
    await message.answer(render("collections/ask_closes.html"))


@router.message(CollectionFlow.closes, TYPED)
async def on_closes(
    message: Message, state: FSMContext, session: AsyncSession, ident: Identity, viewer: Viewer
) -> None:
    closes = parse_moscow(message.text or "")
    data = await state.get_data()
    check_window(_instant(data["opens"]), closes, viewer.now)
    await state.update_data(closes=closes.isoformat())
    scope = await coordinator_scope(session, ident)
    municipalities: list[Municipality] = []
    if scope.municipality_id is None:
        municipalities = list(
            await session.scalars(
                select(Municipality)
                .where(Municipality.region_id == scope.region_id)
                .order_by(Municipality.name)
                .limit(40)
            )
        )
    await state.set_state(CollectionFlow.orgs)
    await message.answer(
        render("collections/ask_orgs.html"), reply_markup=kbs.orgs_choice_kb(municipalities)
    )


@router.callback_query(CollectionFlow.orgs, ColCb.filter(F.act.in_({ColAct.ALL, ColAct.MUNI})))
async def on_orgs_choice(cq: CallbackQuery, callback_data: ColCb, state: FSMContext) -> None:
    municipality = callback_data.s if callback_data.act == ColAct.MUNI else None
    await state.update_data(municipality=municipality)
    await state.set_state(CollectionFlow.template)
    await show(cq, render("collections/ask_template.html"), kbs.skip_kb())


@router.message(CollectionFlow.orgs, TYPED)
async def on_orgs_codes(
    message: Message, state: FSMContext, session: AsyncSession, ident: Identity
) -> None:
    school_ids = await schools_by_codes(session, ident, message.text or "")
    await state.update_data(municipality=None, schools=school_ids)
    await state.set_state(CollectionFlow.template)
    await message.answer(render("collections/ask_template.html"), reply_markup=kbs.skip_kb())


@router.message(CollectionFlow.template, F.document)
async def on_template_file(  # noqa: PLR0913 - the flow's data, the person and the clock
    message: Message, state: FSMContext, session: AsyncSession, ident: Identity, viewer: Viewer,
) -> None:  # fmt: skip
    assert message.document is not None
    name = (message.document.file_name or "template")[:200]
    text, markup = await _create(state, session, ident, viewer, (message.document.file_id, name))
    await message.answer(text, reply_markup=markup)


@router.callback_query(CollectionFlow.template, ColCb.filter(F.act == ColAct.SKIP))
async def on_skip(
    cq: CallbackQuery, state: FSMContext, session: AsyncSession, ident: Identity, viewer: Viewer
) -> None:
    await show(cq, *await _create(state, session, ident, viewer, None))


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


async def _create(
    state: FSMContext,
    session: AsyncSession,
    ident: Identity,
    viewer: Viewer,
    template: tuple[str, str] | None,
) -> tuple[str, InlineKeyboardMarkup]:
    data = await state.get_data()
    draft = Draft(
        title=data["title"], opens_at=_instant(data["opens"]), closes_at=_instant(data["closes"]),
        municipality_id=data.get("municipality"),
        school_ids=tuple(data.get("schools") or ()),
        template_file_id=template[0] if template else None,
        template_name=template[1] if template else None,
    )  # fmt: skip
    collection = await open_collection(session, ident, draft, viewer.now, viewer.default_zone)
    await state.clear()
    return await card_screen(session, ident, viewer, collection.id)
