"""/my: my registrations (or my child's), their state and, once published, the results."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.curator import deadline_text
from handlers.keyboards import catalog as kbs
from handlers.ui import show
from models.enums import PersonKind
from models.people import User
from services.appeals.window import open_windows
from services.catalog import my_status
from services.consent.state import consent_state
from services.parents import links as parents
from services.people.viewer import Policy, Viewer
from services.reference.loader import ReferenceData
from ui.callbacks.catalog import MyCb
from ui.templating import render

router = Router(name=__name__)


async def status_screen(
    session: AsyncSession, me: User, ch: int, page: int, clock: Clock, locale: str,
    viewer: Viewer, ref: ReferenceData, policy: Policy,
) -> tuple[str, InlineKeyboardMarkup]:  # fmt: skip
    student = await parents.acting_for(session, me, ch)
    found = await my_status.status_page(session, student, clock.now(), locale, page)
    consent = await consent_state(session, student, ref.rules, clock.now(), policy.default_zone)
    scored = [row.event_id for row in found.rows if row.score is not None]
    text = render(
        "my_status/list.html",
        page=found,
        first=found.page * my_status.PAGE_SIZE,
        child=student.full_name if student.id != me.id else None,
        consent=consent,
        when=deadline_text(viewer.zone),
        appeals=await open_windows(session, scored, ref.day, clock.now()),
        zone=viewer.zone,
    )
    return text, kbs.status_kb(found, ch)


@router.message(Command("my"))
async def cmd_my(
    message: Message, session: AsyncSession, me: User, clock: Clock, i18n: I18n,
    viewer: Viewer, ref: ReferenceData, policy: Policy,
) -> None:  # fmt: skip
    ch = 0
    if me.kind == PersonKind.PARENT:
        children = await parents.children_of(session, me.id)
        if len(children) > 1:
            await message.answer(
                render("catalog/children.html", purpose="status"),
                reply_markup=kbs.children_kb(children, status=True),
            )
            return
        if not children:
            await message.answer(render("parents/none.html"))
            return
        ch = children[0].id
    text, markup = await status_screen(
        session, me, ch, 0, clock, i18n.current_locale, viewer, ref, policy
    )
    await message.answer(text, reply_markup=markup)


@router.callback_query(MyCb.filter())
async def on_page(
    cq: CallbackQuery,
    callback_data: MyCb,
    session: AsyncSession,
    me: User,
    clock: Clock,
    i18n: I18n,
    viewer: Viewer,
    ref: ReferenceData,
    policy: Policy,
) -> None:
    screen = await status_screen(
        session,
        me,
        callback_data.ch,
        callback_data.pg,
        clock,
        i18n.current_locale,
        viewer,
        ref,
        policy,
    )
    await show(cq, *screen)
