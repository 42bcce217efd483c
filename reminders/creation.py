"""Creation deadlines ("events for all subjects by 1 September"): rows for the coordinators.

A municipal coordinator organises the school and municipal stages of their municipality, a
regional coordinator the regional stage, and supervises the municipalities' creation control.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Audience, Calendar
from calendars.school_year import school_year_of
from calendars.steps import Step, creation_steps
from models.enums import Level, Role
from models.geo import Municipality, Region
from models.outbox import ReminderPreference
from models.people import RoleGrant, User
from reminders.audience import prefs_of
from reminders.calendar_quiet import join_quiet, quiet_columns
from reminders.mutes import ALL, muted_steps
from reminders.plan import Recipient, RowSpec, rows, slots

_BY_ROLE: dict[Role, tuple[tuple[Level, Audience], ...]] = {
    Role.MUNICIPAL: ((Level.SCHOOL, Audience.ORGANISER), (Level.MUNICIPAL, Audience.ORGANISER)),
    Role.REGIONAL: (
        (Level.REGIONAL, Audience.ORGANISER),
        (Level.SCHOOL, Audience.SUPERVISOR),
        (Level.MUNICIPAL, Audience.SUPERVISOR),
    ),
}


def creation_years(now: dt.datetime) -> tuple[int, int]:
    """The current school year and the next (its creation deadlines start in late August)."""
    year = school_year_of(now.date())
    return year, year + 1


def creation_subject(level: Level, scope_key: str, school_year: int) -> str:
    return f"{level.value}@{scope_key}/{school_year}"


def _grants(only_user: int | None) -> Any:
    query = (
        select(
            User.id,
            User.timezone,
            RoleGrant.role,
            RoleGrant.region_id,
            RoleGrant.municipality_id,
            Region.timezone,
            ReminderPreference.offsets,
            *quiet_columns(),
            ReminderPreference.digest_at,
        )
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .outerjoin(Municipality, RoleGrant.municipality_id == Municipality.id)
        .join(Region, Region.id == func.coalesce(RoleGrant.region_id, Municipality.region_id))
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
    )
    query = (
        join_quiet(query, User.id)
        .where(RoleGrant.role.in_(tuple(_BY_ROLE)), RoleGrant.revoked_at.is_(None))
        .where(User.tg_id.is_not(None))
    )
    return query if only_user is None else query.where(User.id == only_user)


@dataclass(frozen=True, slots=True)
class CreationTarget:
    recipient: Recipient
    level: Level
    scope_key: str  # "m<id>" or "r<id>"
    school_year: int
    steps: list[Step]

    @property
    def payload(self) -> dict[str, Any]:
        return {"level": self.level.value, "scope": self.scope_key, "year": self.school_year}


async def creation_targets(
    session: AsyncSession, rules: Calendar, school_year: int, *, only_user: int | None = None
) -> list[CreationTarget]:
    """Each coordinator × level × scope whose creation deadlines concern them."""
    mutes = await muted_steps(session, None, None if only_user is None else [only_user])
    steps: dict[tuple[Level, str], list[Step]] = {}
    found = []
    for user_id, own_zone, role, region_id, muni_id, region_zone, *prefs in await session.execute(
        _grants(only_user)
    ):
        muted = mutes.get(user_id, frozenset())
        if muted is ALL or (role == Role.MUNICIPAL and muni_id is None):
            continue
        scope_key = f"m{muni_id}" if role == Role.MUNICIPAL else f"r{region_id}"
        for level, audience in _BY_ROLE[role]:
            level_steps = steps.get((level, region_zone))
            if level_steps is None:
                level_steps = creation_steps(level, school_year, rules, region_zone)
                steps[(level, region_zone)] = level_steps
            recipient = Recipient(
                user_id=user_id, audience=audience, step_zone=region_zone,
                zone=own_zone or region_zone, held_on=level_steps[0].due_at.date(),
                prefs=prefs_of(*prefs), muted_steps=muted,
            )  # fmt: skip
            found.append(CreationTarget(recipient, level, scope_key, school_year, level_steps))
    return found


async def creation_rows(
    session: AsyncSession, rules: Calendar, school_year: int, *, only_user: int | None = None
) -> dict[str, RowSpec]:
    found: dict[str, RowSpec] = {}
    for target in await creation_targets(session, rules, school_year, only_user=only_user):
        subject = creation_subject(target.level, target.scope_key, school_year)
        recipient = target.recipient
        for row in rows(slots(target.steps, recipient), recipient, event_id=None,
                        subject=subject, payload=target.payload):  # fmt: skip
            found[row.key] = row
    return found
