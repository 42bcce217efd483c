"""/claim CODE and the `claim_CODE` deep link: a student takes over the record the school made.

/claim alone asks for the code, and the next message is taken as the code (until it is accepted
or /cancel).

Include this router before the generic /start router: it handles only start parameters that
begin with `claim_`.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.clock import Clock
from handlers.states_curator import ClaimFlow
from models.geo import School
from models.people import User
from services.curator import claims
from services.reference.loader import ReferenceData
from ui.templating import render

router = Router(name=__name__)


async def _claim(
    message: Message,
    code: str,
    session: AsyncSession,
    me: User,
    clock: Clock,
    ref: ReferenceData,
    state: FSMContext,
) -> None:
    claimed = await claims.redeem(session, me, code, clock.now(), ref.rules)
    if await state.get_state() == ClaimFlow.code.state:
        await state.set_state(None)
    school = await session.get(School, claimed.school_id) if claimed.school_id else None
    text = render("curator/claimed.html", claimed=claimed, school=school.name if school else "—")
    await message.answer(text)


@router.message(Command("claim"))
async def cmd_claim(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    me: User,
    clock: Clock,
    ref: ReferenceData,
    state: FSMContext,
) -> None:
    if not command.args:
        await state.set_state(ClaimFlow.code)
        await message.answer(render("curator/claim_help.html"))
        return
    await _claim(message, command.args, session, me, clock, ref, state)


@router.message(ClaimFlow.code, F.text, ~F.text.startswith("/"))
async def on_code(
    message: Message,
    session: AsyncSession,
    me: User,
    clock: Clock,
    ref: ReferenceData,
    state: FSMContext,
) -> None:
    """The code typed after a bare /claim; a wrong one leaves the flow open for another try."""
    await _claim(message, (message.text or "").strip(), session, me, clock, ref, state)


@router.message(CommandStart(deep_link=True, magic=F.args.startswith(claims.DEEP_LINK_PREFIX)))
async def on_claim_link(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    me: User,
    clock: Clock,
    ref: ReferenceData,
    state: FSMContext,
) -> None:
    await _claim(message, command.args or "", session, me, clock, ref, state)
