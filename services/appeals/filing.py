"""A participant (or a linked parent for them) files an appeal while the window is open; they
see only their own appeals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.olympiad import OlympiadEvent, Registration
from models.olympiad_day import Appeal, AppealState
from models.people import ParentLink, User
from services.appeals.window import closes_at, is_open
from services.errors import Refused
from services.reference.day_schema import OlympiadDayFile
from services.results.access import load_event
from services.rules.deadlines import TimeLeft, time_left

TASK_MAX = 100
REASON_MIN, REASON_MAX = 10, 1000


@dataclass(frozen=True)
class AppealLine:
    """What a participant's result screen says about appeals on one event."""

    registration_id: int
    closes_at: dt.datetime
    time_left: TimeLeft | None  # None: closed, the results are final
    appeals: tuple[Appeal, ...]  # the participant's own, oldest first

    @property
    def can_file(self) -> bool:
        return self.time_left is not None and not any(
            a.state == AppealState.FILED for a in self.appeals
        )


async def _may_act_for(session: AsyncSession, me: User, student_id: int) -> bool:
    if me.id == student_id:
        return True
    link = await session.scalar(
        select(ParentLink.id).where(
            ParentLink.parent_id == me.id, ParentLink.child_id == student_id
        )
    )
    return link is not None


async def _own(
    session: AsyncSession, me: User, registration_id: int
) -> tuple[Registration, OlympiadEvent]:
    registration = await session.get(Registration, registration_id)
    if registration is None or not await _may_act_for(session, me, registration.student_id):
        raise Refused("ap_not_yours")
    return registration, await load_event(session, registration.event_id)


async def _appeals(session: AsyncSession, registration_id: int) -> tuple[Appeal, ...]:
    rows = await session.scalars(
        select(Appeal).where(Appeal.registration_id == registration_id).order_by(Appeal.id)
    )
    return tuple(rows)


async def appeal_line(
    session: AsyncSession, student: User, event: OlympiadEvent, day: OlympiadDayFile,
    now: dt.datetime,
) -> AppealLine | None:  # fmt: skip
    """None unless the results are published and the student has a score in them."""
    closes = await closes_at(session, event, day)
    registration = await session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.student_id == student.id
        )
    )
    if closes is None or registration is None or registration.score is None:
        return None
    appeals = await _appeals(session, registration.id)
    return AppealLine(registration.id, closes, time_left(closes, now), appeals)


async def check_open(
    session: AsyncSession, me: User, registration_id: int, day: OlympiadDayFile,
    now: dt.datetime,
) -> OlympiadEvent:  # fmt: skip
    """Refuses unless `me` may appeal this registration now (asked before every step)."""
    registration, event = await _own(session, me, registration_id)
    closes = await closes_at(session, event, day)
    if closes is None:
        raise Refused("ap_not_open")
    if registration.score is None:
        raise Refused("ap_no_score")
    if not is_open(closes, now):
        raise Refused("ap_closed")
    if any(a.state == AppealState.FILED for a in await _appeals(session, registration.id)):
        raise Refused("ap_pending")
    return event


def clean_task(text: str) -> str:
    task = " ".join(text.split())
    if not task or len(task) > TASK_MAX:
        raise Refused("ap_bad_task")
    return task


def clean_reason(text: str) -> str:
    reason = text.strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise Refused("ap_bad_reason")
    return reason


async def file_appeal(
    session: AsyncSession, me: User, registration_id: int, task: str, reason: str,
    day: OlympiadDayFile, now: dt.datetime,
) -> Appeal:  # fmt: skip
    """Files the appeal; every check is made again (the window may have closed meanwhile)."""
    event = await check_open(session, me, registration_id, day, now)
    registration = await session.get(Registration, registration_id)
    assert registration is not None
    appeal = Appeal(
        registration_id=registration.id, event_id=event.id, student_id=registration.student_id,
        filed_by_id=me.id, task=clean_task(task), reason=clean_reason(reason),
        state=AppealState.FILED, old_score=registration.score, filed_at=now,
    )  # fmt: skip
    session.add(appeal)
    await session.flush()
    return appeal
