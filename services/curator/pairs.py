"""What the checks of a list's (student, event) pairs need, read once for the whole list.

`PairBatch.check` is `services.registration.register`'s sequence of refusals without a query per
pair: the actor's mode, authorisation, "already registered", then the pure eligibility rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import MOSCOW_TZ, Calendar
from models.enums import PersonKind
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import ParentLink, User
from services.authz import Action, authorize
from services.catalog.card import event_facts
from services.catalog.scope import school_place, student_facts
from services.curator.school import CuratedSchool, school_students
from services.errors import Refused
from services.people.identity import Identity
from services.registration.facts import ActorMode, Facts
from services.rules.eligibility import (
    ALREADY_REGISTERED,
    Ineligible,
    StudentFacts,
    Verdict,
    registration_check,
)


@dataclass(frozen=True)
class Pair:
    student: User
    grade: int  # the student's grade when the row was read (a later row may change it)
    event_id: int


@dataclass
class _EventInfo:
    event: OlympiadEvent
    subject_ru: str
    subject_en: str


class PairBatch:
    """Everything the checks need, read once for the school and the events of the list."""

    def __init__(
        self,
        session: AsyncSession,
        ident: Identity,
        school: CuratedSchool,
        rules: Calendar,
        now: dt.datetime,
    ) -> None:
        self.session, self.ident, self.school = session, ident, school
        self.rules, self.now = rules, now
        self.events: dict[int, _EventInfo] = {}
        self.place: tuple[int | None, int | None, str | None] = (None, None, None)
        self.children: set[int] = set()
        self.taken: set[tuple[int, int]] = set()  # (event, student) pairs already registered
        self.parents: dict[int, list[int]] = {}  # the school's students with parents
        self._verdicts: dict[tuple[int, int, bool], Verdict] = {}

    async def load(self, event_ids: set[int]) -> None:
        rows = await self.session.execute(
            select(OlympiadEvent, Subject.name_ru, Subject.name_en)
            .join(Subject, Subject.id == OlympiadEvent.subject_id)
            .where(OlympiadEvent.id.in_(sorted(event_ids)))
        )
        self.events = {e.id: _EventInfo(e, ru, en) for e, ru, en in rows}
        place = school_place(self.school.id)
        found = (await self.session.execute(select(place))).one_or_none()
        self.place = (found[0], found[1], found[2]) if found else (None, None, None)
        self.children = set(
            await self.session.scalars(
                select(ParentLink.child_id).where(ParentLink.parent_id == self.ident.user.id)
            )
        )
        taken = await self.session.execute(
            select(Registration.event_id, Registration.student_id)
            .join(User, User.id == Registration.student_id)
            .where(Registration.event_id.in_(sorted(event_ids)), *school_students(self.school.id))
        )
        self.taken = {(e, s) for e, s in taken}
        links = await self.session.execute(
            select(ParentLink.child_id, ParentLink.parent_id)
            .join(User, User.id == ParentLink.child_id)
            .where(*school_students(self.school.id))
        )
        for child_id, parent_id in links:
            self.parents.setdefault(child_id, []).append(parent_id)

    def mode(self, student: User) -> ActorMode:
        """`registration_facts.acting_mode` without a query per student."""
        if student.id == self.ident.user.id:
            if student.kind != PersonKind.STUDENT:
                raise Refused("reg_not_a_student")
            return ActorMode.SELF
        return ActorMode.PARENT if student.id in self.children else ActorMode.STAFF

    def reachable(self, student: User) -> bool:
        """Reminders or notices can reach the student or a parent."""
        return student.tg_id is not None or student.id in self.parents

    def student_facts(self, grade: int) -> StudentFacts:
        municipality_id, region_id, zone = self.place
        return student_facts(grade, self.school.id, municipality_id, region_id, zone, MOSCOW_TZ)

    def check(self, pair: Pair) -> tuple[ActorMode, Verdict]:
        """The refusal `register` would raise for this pair, or its verdict."""
        info = self.events.get(pair.event_id)
        if info is None:
            raise Refused("cat_event_gone")
        mode = self.mode(pair.student)
        if mode == ActorMode.STAFF:
            authorize(self.ident, Action.REGISTER_STUDENTS, self.school.scope, info.event.level)
        if (pair.event_id, pair.student.id) in self.taken:
            raise Refused(ALREADY_REGISTERED)
        key = (pair.event_id, pair.grade, mode != ActorMode.STAFF)
        if key not in self._verdicts:
            facts = event_facts(info.event, pair.grade)
            self._verdicts[key] = registration_check(
                facts, self.student_facts(pair.grade), self.rules, self.now, self_service=key[2]
            )
        verdict = self._verdicts[key]
        if isinstance(verdict, Ineligible):
            raise Refused(verdict.reason, **verdict.details)
        return mode, verdict

    def facts(self, pair: Pair) -> Facts:
        info = self.events[pair.event_id]
        return Facts(
            event_id=pair.event_id,
            event=event_facts(info.event, pair.grade),
            student=self.student_facts(pair.grade),
            scope=self.school.scope,
            own_id=None,
            own_state=None,
            subject_ru=info.subject_ru,
            subject_en=info.subject_en,
        )
