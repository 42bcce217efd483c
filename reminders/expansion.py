"""Planning a whole event set-based: the instants per profile in Python, the rows in SQL.

An event's recipients fall into few profiles: people who share a grade (so a stage date), a
school zone, their own zone and their reminder preferences get the same instants. The planner
lists the recipients with their profiles in a temporary table (one query per audience), computes
the slots of each distinct profile with the rules of `reminders.plan`, writes them to a second,
small one, and lets the database join the two: `INSERT … SELECT … ON CONFLICT (key) DO
NOTHING`. There is no Python object and no bound parameter per row, so a region's plan costs
about what the inserts cost the database.
A test checks that the rows are the ones `rows_for_event` gives.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from calendars.steps import Step, steps_for_date
from models.base import UtcDateTime
from models.geo import Region
from models.olympiad import OlympiadEvent
from models.outbox import Mute, OutboxStatus
from models.sql import insert_ignore
from reminders.audience import FOLLOWERS, REGISTRATION_ONLY, audience_queries, prefs_of
from reminders.bulk import OUTBOX
from reminders.mutes import event_target
from reminders.plan import Recipient, slots
from reminders.staging import PERSON, SLOT, WANTED, WANTED_COLUMNS, fresh_temp


def _profile(people: Subquery) -> ColumnElement[str]:
    """One string per profile: everything but the user id, nulls as empty strings."""
    parts = [func.coalesce(cast(column, String), "") for column in list(people.c)[1:]]
    found: ColumnElement[str] = parts[0]
    for part in parts[1:]:
        found = found + "|" + part
    return found


class EventPlan:
    """The audiences of one event and the SQL that turns them into rows."""

    def __init__(
        self, event: OlympiadEvent, region_zone: str, rules: Calendar, now: dt.datetime
    ) -> None:
        self.event, self.region_zone, self.rules, self.now = event, region_zone, rules, now
        self.audiences = [
            (audience, query.subquery(), only)
            for audience, query, only in audience_queries(event, None)
        ]
        self._steps: dict[tuple[dt.date, str], list[Step]] = {}

    async def write_slots(self, session: AsyncSession) -> None:
        """Lists the recipients with their profiles, then stores the slots of each profile."""
        connection = await session.connection()
        await fresh_temp(connection, PERSON)
        await fresh_temp(connection, SLOT)
        names = [column.name for column in PERSON.columns]
        for part, (_, people, _) in enumerate(self.audiences):
            user_id, own, school, grade, offsets, *prefs = list(people.c)
            query = select(literal(part), user_id, _profile(people), own, school,
                           cast(grade, Integer), cast(offsets, String), *prefs)  # fmt: skip
            await session.execute(PERSON.insert().from_select(names, query))
        found: list[dict[str, Any]] = []
        distinct = select(*(c for c in PERSON.columns if c.name != "user_id")).distinct()
        for part, profile, *fields in await session.execute(distinct):
            audience, _, only = self.audiences[part]
            found.extend(
                {"part": part, **slot} for slot in self._slots(audience, only, profile, fields)
            )
        if found:
            await session.execute(SLOT.insert(), found)

    def _slots(
        self, audience: Any, only: frozenset[str] | None, profile: str, fields: list[Any]
    ) -> Iterator[dict[str, Any]]:
        own_zone, school_zone, grade, offsets, start, end, digest = fields
        step_zone = school_zone or self.region_zone
        held_on = self.event.date_for_grade(None if grade is None else int(grade))
        registered = only is None and audience in FOLLOWERS  # nothing left to sign up for
        recipient = Recipient(
            user_id=0,
            audience=audience,
            step_zone=step_zone,
            zone=own_zone or step_zone,
            held_on=held_on,
            prefs=prefs_of(None if offsets is None else json.loads(offsets), start, end, digest),
            only_steps=only,
            muted_steps=REGISTRATION_ONLY if registered else frozenset(),
        )
        steps = self._steps.get((held_on, step_zone))
        if steps is None:
            steps = steps_for_date(self.event.level, held_on, self.rules, step_zone)
            self._steps[(held_on, step_zone)] = steps
        subject = f":{self.event.id}:"
        for slot in slots(steps, recipient, self.now):
            yield {
                "audience": audience.value,
                "profile": profile,
                "head": f"{slot.kind.value}:",
                "tail": subject + slot.key_tail,
                "kind": slot.kind.value,
                "step": slot.step.code,
                "due_at": slot.due_at,
                "step_at": slot.step.due_at,
                "step_zone": slot.step.zone,
                "expires_at": slot.expires_at,
            }

    def rows(self, muted: bool) -> Iterator[Select[Any]]:
        """Per audience, the rows in `WANTED_COLUMNS`; the last audience first, so that when
        one person gets one key twice (a curator who is a parent) the same row wins as in
        `rows_for_event`, which keeps the last."""
        for part in reversed(range(len(self.audiences))):
            person = PERSON.c
            query = (
                select(
                    SLOT.c.head + cast(person.user_id, String) + SLOT.c.tail,
                    person.user_id,
                    *(SLOT.c[name] for name in WANTED_COLUMNS[2:]),
                )  # fmt: skip
                .select_from(PERSON)
                .join(SLOT, and_(SLOT.c.part == person.part, SLOT.c.profile == person.profile))
                .where(person.part == part)
            )
            if muted:
                query = query.where(~self._muted(person.user_id))
            yield query

    def _muted(self, user_id: ColumnElement[int]) -> ColumnElement[bool]:
        mute = Mute.__table__.c
        return exists().where(
            mute.user_id == user_id,
            or_(
                mute.target == event_target(self.event.id),
                mute.target == literal("step:") + SLOT.c.step,
                mute.target == literal(f"done:{self.event.id}:") + SLOT.c.step,
            ),
        )


async def any_mutes(session: AsyncSession, event_id: int) -> bool:
    """Whether anyone muted something that may apply to the event (usually nobody has)."""
    query = select(Mute.id).where(
        or_(
            Mute.target.like("step:%"),
            Mute.target == event_target(event_id),
            Mute.target.like(f"done:{event_id}:%"),
        )
    )
    return (await session.execute(query.limit(1))).first() is not None


async def event_plan(
    session: AsyncSession, event: OlympiadEvent, rules: Calendar, now: dt.datetime
) -> EventPlan:
    zone = (
        await session.execute(select(Region.timezone).where(Region.id == event.region_id))
    ).scalar_one()
    plan = EventPlan(event, zone, rules, now)
    await plan.write_slots(session)
    return plan


def outbox_insert(
    session: AsyncSession, rows: Select[Any], event_id: int | None, now: dt.datetime
) -> Any:
    """`INSERT INTO outbox … SELECT` of rows in `WANTED_COLUMNS`, pending, first tried at
    their instant, only those still ahead; keys already there are left alone."""
    source = rows.subquery()
    columns = list(source.c)
    due_at = columns[WANTED_COLUMNS.index("due_at")]
    values = (
        *columns,
        literal(event_id, Integer),
        literal(OutboxStatus.PENDING.value),
        literal(0),
        due_at,
        literal(now, UtcDateTime()),
    )
    names = (*WANTED_COLUMNS, "event_id", "status", "attempts", "next_attempt_at", "created_at")
    # SQLite needs a WHERE before ON CONFLICT; keys in order walk the key index in order.
    selected = select(*values).where(due_at >= now).order_by(columns[0])
    return insert_ignore(session, OUTBOX, "key").from_select(names, selected)


def wanted_insert(session: AsyncSession, rows: Select[Any]) -> Any:
    return insert_ignore(session, WANTED, "key").from_select(WANTED_COLUMNS, rows)


def is_wanted(key: ColumnElement[str], now: dt.datetime | None = None) -> ColumnElement[bool]:
    condition = WANTED.c.key == key
    if now is not None:
        condition = and_(condition, WANTED.c.due_at >= now)
    return exists().where(condition)
