"""The ticked students of the register flow, kept in the FSM data (server side)."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.keyboards import curator as kbs
from handlers.ui import show
from services.curator import picking as curator_picking
from services.people.identity import Identity
from services.reference.loader import ReferenceData
from ui.callbacks.curator import CurCb
from ui.templating import render

SELECTION = "curator_selection"


async def chosen_ids(state: FSMContext, school_id: int, event_id: int) -> set[int]:
    """The selection for this school and event; another event starts an empty one."""
    data = (await state.get_data()).get(SELECTION) or {}
    if data.get("school") != school_id or data.get("event") != event_id:
        return set()
    return set(data.get("ids", []))


async def keep_ids(state: FSMContext, school_id: int, event_id: int, ids: set[int]) -> None:
    await state.update_data(
        {SELECTION: {"school": school_id, "event": event_id, "ids": sorted(ids)}}
    )


async def forget_ids(state: FSMContext) -> None:
    await state.update_data({SELECTION: None})


async def show_ticks(
    cq: CallbackQuery,
    view: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    ref: ReferenceData,
    locale: str,
    chosen: set[int],
) -> None:
    page = await curator_picking.candidates_page(
        session,
        ident,
        view.school,
        view.event,
        grade=view.grade,
        page=view.page,
        rules=ref.rules,
        now=clock.now(),
    )
    text = render("curator/ticks.html", page=page, chosen=len(chosen), locale=locale)
    await show(cq, text, kbs.ticks_kb(page, chosen))
