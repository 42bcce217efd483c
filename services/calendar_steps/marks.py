"""Marking a school's step done (with the signed verification form when the step needs one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.calendar_steps import ORG_SCHOOL, StepMark
from models.enums import Role
from models.outbox import Outbox, OutboxStatus
from reminders.outbox import MESSAGE_KEY_PREFIX
from services.authz import Action, authorize
from services.calendar_steps.board import Line, boards
from services.calendar_steps.places import Place, schools_in
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope, school_scope

MAX_FILE_NAME = 200


@dataclass(frozen=True)
class SignedForm:
    """A document the person sent: Telegram's file id and the name it came with."""

    file_id: str
    file_name: str


async def school_place(session: AsyncSession, school_id: int) -> Place:
    scope = await school_scope(session, school_id)
    [place] = await schools_in(session, scope)
    return place


async def find_line(
    session: AsyncSession, calendar: Calendar, place: Place, item: str, now: dt.datetime
) -> Line:
    lines = (await boards(session, calendar, [place], now))[place.school_id]
    for line in lines:
        if line.item.item == item:
            return line
    raise Refused("step_unknown")


def nudge_key(calendar: str, item: str, school_id: int) -> str:
    """The start of the outbox keys of a step's nudges to one school."""
    return f"cs:{calendar}:{item}:s{school_id}:"


async def mark_done(  # noqa: PLR0913 - who, what, where, when and the form
    session: AsyncSession,
    ident: Identity,
    calendar: Calendar,
    school_id: int,
    item: str,
    now: dt.datetime,
    form: SignedForm | None = None,
) -> Line:
    """Marks the school's step done; refuses a step that needs the signed form without one."""
    place = await school_place(session, school_id)
    authorize(ident, Action.MARK_STEP, place.scope, calendar=calendar.code)
    line = await find_line(session, calendar, place, item, now)
    if not line.item.markable:
        raise Refused("step_not_markable")
    if line.done:
        raise Refused("step_already_done")
    if line.item.rule.signed_form and form is None:
        raise Refused("step_needs_form")
    mark = StepMark(
        calendar=calendar.code,
        item=item,
        org_kind=ORG_SCHOOL,
        org_id=school_id,
        done_at=now,
        done_by_id=ident.user.id,
        file_id=form.file_id if form else None,
        file_name=form.file_name[:MAX_FILE_NAME] if form else None,
    )
    session.add(mark)
    await session.flush()
    await cancel_nudges(session, calendar.code, item, school_id)
    return Line(line.item, mark)


async def cancel_nudges(session: AsyncSession, calendar: str, item: str, school_id: int) -> int:
    """The step is done: its pending nudges to the school are not sent."""
    prefix = MESSAGE_KEY_PREFIX + nudge_key(calendar, item, school_id)
    result = await session.execute(
        update(Outbox)
        .where(Outbox.status == OutboxStatus.PENDING, Outbox.key.startswith(prefix))
        .values(status=OutboxStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def operator_schools(session: AsyncSession, ident: Identity, calendar: str) -> list[Place]:
    """The schools whose steps of the calendar I mark: my data-operator grants."""
    ids = sorted(
        {
            g.school_id
            for g in ident.grants
            if g.role == Role.DATA_OPERATOR
            and g.school_id is not None
            and g.calendar in (None, calendar)
        }
    )
    found = []
    for school_id in ids:
        found.extend(await schools_in(session, Scope(school_id=school_id)))
    return found
