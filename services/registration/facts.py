"""What registration needs to know, read in one statement, and who the actor acts as."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import and_, exists, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from calendars.schema import MOSCOW_TZ
from models.enums import PersonKind, RegistrationState
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import ParentLink, User
from services.authz import Action, authorize
from services.catalog.card import event_facts
from services.catalog.scope import school_place, student_facts
from services.errors import Refused
from services.people.identity import Identity
from services.rules.eligibility import EventFacts, StudentFacts
from services.scopes import Scope


class ActorMode(StrEnum):
    SELF = "self"
    PARENT = "parent"
    STAFF = "staff"


@dataclass(frozen=True)
class Facts:
    event_id: int
    event: EventFacts
    student: StudentFacts
    scope: Scope  # the student's school with its municipality and region
    own_id: int | None
    own_state: RegistrationState | None
    subject_ru: str
    subject_en: str


async def load_facts(session: AsyncSession, student: User, event_id: int) -> Facts:
    place = school_place(student.school_id)
    own = aliased(Registration)
    row = (
        await session.execute(
            select(
                OlympiadEvent,
                place.c.municipality_id,
                place.c.region_id,
                place.c.zone,
                own.id,
                own.state,
                Subject.name_ru,
                Subject.name_en,
            )
            .join(Subject, Subject.id == OlympiadEvent.subject_id)
            .outerjoin(place, true())
            .outerjoin(own, and_(own.event_id == OlympiadEvent.id, own.student_id == student.id))
            .where(OlympiadEvent.id == event_id)
        )
    ).one_or_none()
    if row is None:
        raise Refused("cat_event_gone")
    event, municipality_id, region_id, zone, own_id, own_state, name_ru, name_en = row
    facts = student_facts(
        student.grade, student.school_id, municipality_id, region_id, zone, MOSCOW_TZ
    )
    return Facts(
        event_id=event.id,
        event=event_facts(event, student.grade),
        student=facts,
        scope=Scope(region_id, municipality_id, facts.school_id),
        own_id=own_id,
        own_state=RegistrationState(own_state) if own_state is not None else None,
        subject_ru=name_ru,
        subject_en=name_en,
    )


async def is_parent_of(session: AsyncSession, parent_id: int, child_id: int) -> bool:
    linked = exists().where(ParentLink.parent_id == parent_id, ParentLink.child_id == child_id)
    return bool(await session.scalar(select(linked)))


async def acting_mode(
    session: AsyncSession, actor: Identity, student: User, facts: Facts
) -> ActorMode:
    """Self, a linked parent, or staff allowed over the student's school; else refused."""
    if actor.user.id == student.id:
        if student.kind != PersonKind.STUDENT:
            raise Refused("reg_not_a_student")
        return ActorMode.SELF
    if await is_parent_of(session, actor.user.id, student.id):
        return ActorMode.PARENT
    authorize(actor, Action.REGISTER_STUDENTS, facts.scope, facts.event.level)
    return ActorMode.STAFF
