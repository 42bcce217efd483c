"""The steps a municipal office or a regional centre does itself (in «Паспорт школы» the rows
whose responsible level is `МОУО` or `РЦОИ`): their board, and marking one done.

The holder of the office's role in that place marks its step done (with the signed form when
the step needs one); the mark belongs to the municipality or region, and its pending nudges to
every holder there are cancelled. A school's operator, the office of another place or the level
above are refused (`services.authz`: `MARK_OFFICE_STEP`, `MARK_CENTRE_STEP`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVarTuple

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Audience, Calendar
from models.calendar_steps import ORG_MUNICIPALITY, ORG_REGION, StepMark, marks_of
from models.enums import Role
from models.geo import Municipality, Region
from models.outbox import Outbox, OutboxStatus
from models.people import RoleGrant
from reminders.outbox import MESSAGE_KEY_PREFIX
from services.authz import Action, authorize
from services.calendar_steps.board import Line
from services.calendar_steps.items import PASSPORT, PASSPORT_TRACKS, passport_items
from services.calendar_steps.marks import MAX_FILE_NAME, SignedForm
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope

# An office's level: the role that holds it, the audience its steps name, the act of marking.
ROLE_OF = {ORG_MUNICIPALITY: Role.MUNICIPAL_OFFICE, ORG_REGION: Role.REGIONAL_CENTRE}
AUDIENCE_OF = {ORG_MUNICIPALITY: Audience.MUNICIPAL_OFFICE, ORG_REGION: Audience.REGIONAL_CENTRE}
MARK_ACTION = {ORG_MUNICIPALITY: Action.MARK_OFFICE_STEP, ORG_REGION: Action.MARK_CENTRE_STEP}
LETTER = {ORG_MUNICIPALITY: "m", ORG_REGION: "r"}
KIND_OF_LETTER = {letter: kind for kind, letter in LETTER.items()}
Ts = TypeVarTuple("Ts")


@dataclass(frozen=True)
class Office:
    """A municipality or a region as the organisation that does its own steps."""

    org_kind: str
    org_id: int
    name: str
    zone: str
    scope: Scope

    @property
    def letter(self) -> str:
        return LETTER[self.org_kind]


async def office_of(session: AsyncSession, org_kind: str, org_id: int) -> Office:
    if org_kind == ORG_MUNICIPALITY:
        row = (
            await session.execute(
                select(Municipality.name, Region.timezone, Region.id)
                .join(Region, Municipality.region_id == Region.id)
                .where(Municipality.id == org_id)
            )
        ).one_or_none()
        if row is None:
            raise Refused("unknown_municipality")
        return Office(org_kind, org_id, row[0], row[1], Scope(row[2], org_id))
    if org_kind == ORG_REGION:
        region = await session.get(Region, org_id)
        if region is None:
            raise Refused("stale_choice")
        return Office(org_kind, org_id, region.name_ru, region.timezone, Scope(org_id))
    raise Refused("stale_choice")


async def my_offices(session: AsyncSession, ident: Identity, calendar: str) -> list[Office]:
    """The municipalities and regions whose own steps of the calendar I do: my office grants."""
    found = await my_offices_of(session, [(g,) for g in ident.grants], calendar)
    return [office for office, _rows in found]


def office_key(grant: RoleGrant) -> tuple[str, int] | None:
    if grant.role == Role.MUNICIPAL_OFFICE and grant.municipality_id is not None:
        return ORG_MUNICIPALITY, grant.municipality_id
    if grant.role == Role.REGIONAL_CENTRE and grant.region_id is not None:
        return ORG_REGION, grant.region_id
    return None


async def my_offices_of(
    session: AsyncSession, holders: Sequence[tuple[RoleGrant, *Ts]], calendar: str
) -> list[tuple[Office, list[tuple[RoleGrant, *Ts]]]]:
    """The offices of these grants in the calendar, each with its holders' rows."""
    grouped: dict[tuple[str, int], list[tuple[RoleGrant, *Ts]]] = {}
    for row in holders:
        key = office_key(row[0])
        if key is not None and row[0].calendar in (None, calendar):
            grouped.setdefault(key, []).append(row)
    return [(await office_of(session, *key), rows) for key, rows in grouped.items()]


def has_own_steps(calendar: Calendar, office: Office) -> bool:
    """Whether the calendar gives the office steps of its own to do."""
    if calendar.code != PASSPORT:
        return False
    audience = AUDIENCE_OF[office.org_kind]
    return any(
        rule.responsible == audience
        for code, track in calendar.tracks.items()
        if code in PASSPORT_TRACKS
        for rule in track.steps
    )


def office_items(calendar: Calendar, office: Office, now: dt.datetime) -> list[Line]:
    """The office's own markable steps of the calendar, unmarked (see `office_board`)."""
    if calendar.code != PASSPORT:  # ВПР's steps are the schools' own
        return []
    return [
        Line(item, None)
        for item in passport_items(calendar, office.zone, now)
        if item.org_kind == office.org_kind and item.markable
    ]


async def office_board(
    session: AsyncSession, calendar: Calendar, office: Office, now: dt.datetime
) -> list[Line]:
    """The office's own steps with their marks, soonest first."""
    marks = await marks_of(session, calendar.code, office.org_kind, [office.org_id])
    return [
        Line(line.item, marks.get((line.item.item, office.org_id)))
        for line in office_items(calendar, office, now)
    ]


async def find_office_line(
    session: AsyncSession, calendar: Calendar, office: Office, item: str, now: dt.datetime
) -> Line:
    for line in await office_board(session, calendar, office, now):
        if line.item.item == item:
            return line
    raise Refused("step_unknown")


def may_mark(ident: Identity, office: Office, calendar: str) -> bool:
    try:
        authorize(ident, MARK_ACTION[office.org_kind], office.scope, calendar=calendar)
    except Refused:
        return False
    return True


def office_nudge_key(calendar: str, item: str, office: Office) -> str:
    """The start of the outbox keys of a step's nudges to one office (`marks.nudge_key`)."""
    return f"cs:{calendar}:{item}:{office.letter}{office.org_id}:"


async def mark_office_done(  # noqa: PLR0913 - who, what, where, when and the form
    session: AsyncSession,
    ident: Identity,
    calendar: Calendar,
    office: Office,
    item: str,
    now: dt.datetime,
    form: SignedForm | None = None,
) -> Line:
    """Marks the office's own step done; the holder of the office's role there only."""
    authorize(ident, MARK_ACTION[office.org_kind], office.scope, calendar=calendar.code)
    line = await find_office_line(session, calendar, office, item, now)
    if line.done:
        raise Refused("step_already_done")
    if line.item.rule.signed_form and form is None:
        raise Refused("step_needs_form")
    mark = StepMark(
        calendar=calendar.code,
        item=item,
        org_kind=office.org_kind,
        org_id=office.org_id,
        done_at=now,
        done_by_id=ident.user.id,
        file_id=form.file_id if form else None,
        file_name=form.file_name[:MAX_FILE_NAME] if form else None,
    )
    session.add(mark)
    await session.flush()
    prefix = MESSAGE_KEY_PREFIX + office_nudge_key(calendar.code, item, office)
    await session.execute(
        update(Outbox)
        .where(Outbox.status == OutboxStatus.PENDING, Outbox.key.startswith(prefix))
        .values(status=OutboxStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return Line(line.item, mark)
