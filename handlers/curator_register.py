"""Registering students of the school for an olympiad: event → grade → tick → confirm.

The ticked ids live in the FSM data (server side), so a forged button can only name a school,
an event or a student; the services check each of them.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.catalog_reasons import refusal_text
from handlers.curator import deadline_text
from handlers.curator_selection import chosen_ids, forget_ids, keep_ids, show_ticks
from handlers.keyboards import curator as kbs
from handlers.ui import show
from services.curator import bulk as curator_bulk
from services.curator import picking as curator_picking
from services.curator import school as curator
from services.curator.events import joinable_events
from services.errors import Refused
from services.people.identity import Identity
from services.reference.loader import ReferenceData
from ui.callbacks.curator import CurAct, CurCb
from ui.templating import render

router = Router(name=__name__)
SHOWN_NAMES = 15


@router.callback_query(CurCb.filter(F.act == CurAct.EVENTS))
async def on_events(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    ref: ReferenceData,
    i18n: I18n,
) -> None:
    school = await curator.open_school(session, ident, callback_data.school)
    events = await joinable_events(session, school, ref.rules, clock.now())
    locale = i18n.current_locale
    text = render(
        "curator/events.html",
        school=school,
        events=events,
        locale=locale,
        deadline=deadline_text(school.zone),
    )
    await show(cq, text, kbs.events_kb(school.id, events, locale))


@router.callback_query(CurCb.filter(F.act == CurAct.EVENT))
async def on_event(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    ref: ReferenceData,
    i18n: I18n,
    state: FSMContext,
) -> None:
    school, event, grades = await curator_picking.grade_choices(
        session, ident, callback_data.school, callback_data.event, ref.rules, clock.now()
    )
    chosen = await chosen_ids(state, school.id, event.id)
    text = render(
        "curator/event.html",
        event=event,
        grades=grades,
        chosen=len(chosen),
        locale=i18n.current_locale,
        deadline=deadline_text(school.zone),
    )
    await show(cq, text, kbs.event_grades_kb(school.id, event.id, grades, len(chosen)))


@router.callback_query(CurCb.filter(F.act == CurAct.TICKS))
async def on_ticks(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    ref: ReferenceData,
    i18n: I18n,
    state: FSMContext,
) -> None:
    chosen = await chosen_ids(state, callback_data.school, callback_data.event)
    await show_ticks(cq, callback_data, session, ident, clock, ref, i18n.current_locale, chosen)


@router.callback_query(CurCb.filter(F.act.in_({CurAct.TICK, CurAct.TICK_ALL})))
async def on_tick(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    ref: ReferenceData,
    i18n: I18n,
    state: FSMContext,
) -> None:
    view = callback_data
    chosen = await chosen_ids(state, view.school, view.event)
    if view.act == CurAct.TICK_ALL:
        chosen |= set(
            await curator_picking.grade_student_ids(
                session,
                ident,
                view.school,
                view.event,
                grade=view.grade,
                rules=ref.rules,
                now=clock.now(),
            )
        )
    else:
        chosen ^= {view.student}
    await show_ticks(cq, view, session, ident, clock, ref, i18n.current_locale, chosen)
    await keep_ids(state, view.school, view.event, chosen)


@router.callback_query(CurCb.filter(F.act == CurAct.CONFIRM))
async def on_confirm(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    ref: ReferenceData,
    i18n: I18n,
    state: FSMContext,
) -> None:
    school, event, _grades = await curator_picking.grade_choices(
        session, ident, callback_data.school, callback_data.event, ref.rules, clock.now()
    )
    chosen = await chosen_ids(state, school.id, event.id)
    if not chosen:
        raise Refused(curator_picking.NO_STUDENTS_CHOSEN)
    names = await curator_bulk.names_of(session, school.id, chosen)
    text = render(
        "curator/confirm.html",
        event=event,
        chosen=len(chosen),
        names=names[:SHOWN_NAMES],
        more=max(0, len(names) - SHOWN_NAMES),
        locale=i18n.current_locale,
    )
    await show(cq, text, kbs.confirm_kb(school.id, event.id))


@router.callback_query(CurCb.filter(F.act == CurAct.REGISTER))
async def on_register(
    cq: CallbackQuery,
    callback_data: CurCb,
    session: AsyncSession,
    ident: Identity,
    clock: Clock,
    ref: ReferenceData,
    i18n: I18n,
    state: FSMContext,
) -> None:
    chosen = await chosen_ids(state, callback_data.school, callback_data.event)
    event, result = await curator_bulk.register_many(
        session,
        ident,
        callback_data.school,
        callback_data.event,
        chosen,
        rules=ref.rules,
        now=clock.now(),
    )
    await forget_ids(state)
    school = await curator.open_school(session, ident, callback_data.school)
    refused = [(name, refusal_text(why, school.zone)) for name, why in result.refused]
    text = render(
        "curator/registered.html",
        event=event,
        result=result,
        refused=refused,
        limit=SHOWN_NAMES,
        locale=i18n.current_locale,
    )
    await show(cq, text, kbs.to_school_kb(school.id))
