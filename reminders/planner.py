"""Planning reminders into the outbox, in the caller's transaction (the planner never commits).

Call `replan_event` after an event is created or its date, grades or status change;
`replan_students` after students register or withdraw (only their rows and their parents');
`replan_user` after a person's school, grade, roles, children, zone or reminder settings
change; `plan_creation` once a day (the worker does) for the coordinators' creation deadlines.
Each is idempotent: planning twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.consent_rule import CONSENT_DUE
from calendars.schema import Calendar
from calendars.school_year import school_year_of
from calendars.steps import CREATION_CONTROL, CREATION_DUE
from models.olympiad import OlympiadEvent, Registration
from models.outbox import Outbox
from models.people import ParentLink
from reminders.audience import event_recipients
from reminders.consent import replan_consent
from reminders.consent_deadlines import students_of_person
from reminders.creation import creation_rows, creation_years
from reminders.memberships import memberships
from reminders.plan import RowSpec, rows_for_event
from reminders.roles import recipients_in
from reminders.scope import PLANNED_STATUSES, candidate_events, region_zones
from reminders.sync import SyncStats, sync_event, sync_rows

log = logging.getLogger(__name__)


async def event_rows(
    session: AsyncSession,
    event: OlympiadEvent,
    rules: Calendar,
    now: dt.datetime,
    only: Collection[int] | None = None,
) -> dict[str, RowSpec]:
    if event.status not in PLANNED_STATUSES:
        return {}
    recipients = await event_recipients(session, event, only)
    return rows_for_event(event.id, event.level, recipients, rules, now)


async def replan_event(
    session: AsyncSession, event_id: int, rules: Calendar, now: dt.datetime
) -> SyncStats:
    """Brings the event's reminders and reports in line with its current date, status and
    registrations: a cancelled or finished event loses its pending rows. Set-based
    (`reminders.expansion`): the rows are those `event_rows` gives, made by the database."""
    event = await session.get(OlympiadEvent, event_id)
    stats = await sync_event(session, event_id, event, rules, now)
    log.info("replanned event %s: %s", event_id, stats)
    if event is not None:
        students = await session.scalars(
            select(Registration.student_id).where(Registration.event_id == event_id)
        )
        await _replan_consent(session, event, list(students), rules, now)
    return stats


async def _replan_consent(
    session: AsyncSession,
    event: OlympiadEvent,
    student_ids: Collection[int],
    rules: Calendar,
    now: dt.datetime,
) -> None:
    """An event of the consent rule's track moved, or its registrations changed: the students'
    consent deadline may have moved with their first event."""
    if rules.consent is not None and event.level == rules.consent.track and student_ids:
        await replan_consent(session, student_ids, rules, event.school_year, now)


async def replan_students(
    session: AsyncSession,
    event_id: int,
    student_ids: Collection[int],
    rules: Calendar,
    now: dt.datetime,
) -> SyncStats:
    """After students registered for the event or withdrew: their rows and their parents' for
    this event, and nobody else's. The cost follows the students named, not the event's size."""
    event = await session.get(OlympiadEvent, event_id)
    if not student_ids:
        return SyncStats()
    parents = await session.scalars(
        select(ParentLink.parent_id).where(ParentLink.child_id.in_(list(student_ids)))
    )
    people = {*student_ids, *parents}
    desired = {} if event is None else await event_rows(session, event, rules, now, people)
    scope = and_(Outbox.event_id == event_id, Outbox.user_id.in_(list(people)))
    stats = await sync_rows(session, desired, scope, now)
    if event is not None:
        await _replan_consent(session, event, student_ids, rules, now)
    return stats


async def user_rows(
    session: AsyncSession, user_id: int, rules: Calendar, now: dt.datetime
) -> dict[str, RowSpec]:
    """Every row one person should have, across the events and scopes that concern them."""
    found: dict[str, RowSpec] = {}
    person = await memberships(session, user_id)
    if person is None:
        return found
    events = await candidate_events(session, person.belonging(), rules, now)
    zones = await region_zones(session, events)
    for event in events:
        recipients = recipients_in(event, zones[event.region_id], person)
        found.update(rows_for_event(event.id, event.level, recipients, rules, now))
    for year in creation_years(now):
        found.update(await creation_rows(session, rules, year, only_user=user_id))
    return found


async def replan_user(
    session: AsyncSession, user_id: int, rules: Calendar, now: dt.datetime
) -> SyncStats:
    """Re-plans one person's rows across the events that may concern them."""
    desired = await user_rows(session, user_id, rules, now)
    scope = and_(Outbox.user_id == user_id, Outbox.step != CONSENT_DUE)
    stats = await sync_rows(session, desired, scope, now)
    if rules.consent is not None:
        year = school_year_of(now.date())
        students = await students_of_person(session, user_id, year)
        stats += await replan_consent(session, students, rules, year, now)
    return stats


async def plan_creation(
    session: AsyncSession, rules: Calendar, school_year: int, now: dt.datetime
) -> SyncStats:
    desired = await creation_rows(session, rules, school_year)
    scope = and_(
        Outbox.event_id.is_(None),
        Outbox.step.in_((CREATION_DUE, CREATION_CONTROL)),
        Outbox.key.like(f"%/{school_year}:%"),
    )
    return await sync_rows(session, desired, scope, now)
