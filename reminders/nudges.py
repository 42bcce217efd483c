"""Nudges to the curators of schools a control point found lagging (one per curator and step,
however many coordinators receive the report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Audience
from models.enums import Role
from models.geo import Municipality, Region, School
from models.outbox import CalendarQuiet, Outbox, OutboxKind, ReminderPreference
from models.people import RoleGrant, User
from reminders.audience import prefs_of
from reminders.bulk import insert_rows
from reminders.calendar_quiet import OLYMPIAD, quiet_columns
from reminders.plan import REPORT_GRACE, RowSpec, row_key
from reminders.prefs import report_instant


async def enqueue_nudges(
    session: AsyncSession, report: Outbox, school_ids: Sequence[int], now: dt.datetime
) -> int:
    """Queues a nudge to each curator of the schools; returns how many rows were offered."""
    assert report.event_id is not None
    step_at = report.step_at or now
    expires = report.expires_at or step_at + REPORT_GRACE
    rows = await session.execute(
        select(
            User.id,
            User.timezone,
            School.timezone,
            Region.timezone,
            ReminderPreference.offsets,
            *quiet_columns(),
            ReminderPreference.digest_at,
        )
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .join(School, RoleGrant.school_id == School.id)
        .join(Municipality, School.municipality_id == Municipality.id)
        .join(Region, Municipality.region_id == Region.id)
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
        .outerjoin(
            CalendarQuiet,
            and_(CalendarQuiet.user_id == User.id, CalendarQuiet.calendar == OLYMPIAD),
        )
        .where(
            RoleGrant.role == Role.CURATOR,
            RoleGrant.revoked_at.is_(None),
            RoleGrant.school_id.in_(list(school_ids)),
            User.tg_id.is_not(None),
        )
    )
    specs: dict[str, RowSpec] = {}
    for user_id, own_zone, school_zone, region_zone, offsets, start, end, digest in rows:
        zone = ZoneInfo(own_zone or school_zone or region_zone)
        prefs = prefs_of(offsets, start, end, digest)
        due_at = max(report_instant(now, expires, zone, prefs), now)
        key = row_key(OutboxKind.NUDGE, user_id, str(report.event_id), report.step, step_at)
        specs[key] = RowSpec(
            key=key,
            user_id=user_id,
            event_id=report.event_id,
            kind=OutboxKind.NUDGE,
            step=report.step,
            audience=Audience.CURATOR,
            due_at=due_at,
            step_at=step_at,
            step_zone=report.step_zone or "",
            expires_at=expires,
        )
    return await insert_rows(session, specs.values(), now)
