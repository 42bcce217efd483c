"""Which calendars concern a person: those whose reminders can reach them, by the rules their
senders use, so /reminders offers quiet hours only for calendars that can write to them.

- the olympiad: students and parents, and its staff (administrators, coordinators, curators);
- «Паспорт школы» and ВПР: the data-calendar roles (`services.calendar_steps.due`), each grant
  held in every calendar (`RoleGrant.calendar` None) or in that one;
- the АИС СГО switch: the holders of the roles its steps' audiences name
  (`services.completeness.switch`), as its reminders go to them;
- the ФИС ОКО collections: a school's responsible people (its data operator or curator) and the
  coordinators of a territory (`services.collections.people`).

The switch and the collections count every grant of their roles, whichever calendar it is held
in, as their reminders do (an invitation can be limited to «Паспорт школы» or ВПР only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import PersonKind, Role
from models.people import RoleGrant, User
from reminders.calendar_quiet import OLYMPIAD
from services.calendar_steps.due import AUDIENCE_OF
from services.calendar_steps.items import CALENDARS as STEP_CALENDARS
from services.collections.nudges import CALENDAR as COLLECTIONS
from services.collections.people import MUNICIPAL_ROLES, REGIONAL_ROLES, SCHOOL_ROLES
from services.completeness.switch import CALENDAR as SWITCH
from services.completeness.switch import reader_roles

OLYMPIAD_KINDS = frozenset({PersonKind.STUDENT.value, PersonKind.PARENT.value})
OLYMPIAD_ROLES = frozenset(
    {Role.ADMIN.value, Role.REGIONAL.value, Role.MUNICIPAL.value, Role.CURATOR.value}
)
_STEP_ROLES = frozenset(role.value for role in AUDIENCE_OF)
_COORDINATORS = MUNICIPAL_ROLES | REGIONAL_ROLES


def concerns(
    code: str,
    kind: str | None,
    grants: Sequence[RoleGrant],
    calendars: Mapping[str, Calendar],
) -> bool:
    """Whether calendar `code` concerns a person of this kind holding these (active) grants."""
    roles = {str(g.role) for g in grants}
    if code == OLYMPIAD:
        return kind in OLYMPIAD_KINDS or bool(roles & OLYMPIAD_ROLES)
    if code in STEP_CALENDARS:
        return any(str(g.role) in _STEP_ROLES and g.calendar in (None, code) for g in grants)
    if code == SWITCH:
        calendar = calendars.get(code)
        if calendar is None:
            return False
        audiences = {a for track in calendar.tracks.values() for r in track.steps
                     for a in r.audience}  # fmt: skip
        return bool(roles & reader_roles(audiences))
    if code == COLLECTIONS:
        school = any(str(g.role) in SCHOOL_ROLES and g.school_id is not None for g in grants)
        return school or bool(roles & _COORDINATORS)
    return False


async def concerned(
    session: AsyncSession, user_id: int, codes: Sequence[str], calendars: Mapping[str, Calendar]
) -> list[str]:
    """The calendars of `codes` that concern the person, in the same order."""
    kind = await session.scalar(select(User.kind).where(User.id == user_id))
    grants = list(
        await session.scalars(
            select(RoleGrant).where(RoleGrant.user_id == user_id, RoleGrant.revoked_at.is_(None))
        )
    )
    found = str(kind) if kind is not None else None
    return [code for code in codes if concerns(code, found, grants, calendars)]
