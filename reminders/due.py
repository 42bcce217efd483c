"""What is due for one person: the steps ahead that concern them, soonest first.

The same audience rules as the planner decide what concerns whom, so "/due", the calendar
export and the reminders always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Audience, Calendar
from calendars.steps import Step, steps_for_date
from models.enums import Level
from models.olympiad import Subject
from reminders.creation import creation_targets, creation_years
from reminders.memberships import memberships
from reminders.plan import Recipient
from reminders.roles import recipients_in
from reminders.scope import candidate_events, region_zones


@dataclass(frozen=True, slots=True)
class DueItem:
    uid: str  # stable across exports: the calendar entry's UID
    step: Step
    audience: Audience
    level: Level | None  # None: a step of another calendar than the olympiad
    event_id: int | None
    subject_ru: str = ""
    subject_en: str = ""
    scope_key: str = ""
    # Another calendar's step (Паспорт школы, ВПР): its code, the step's and the line's titles.
    calendar: str = ""
    label_ru: str = ""
    label_en: str = ""
    title_ru: str = ""
    title_en: str = ""

    def subject(self, locale: str) -> str:
        return self.subject_en if locale == "en" else self.subject_ru


def _wanted(step: Step, recipient: Recipient, now: dt.datetime) -> bool:
    if step.due_at < now or not step.concerns(recipient.audience):
        return False
    if step.code in recipient.muted_steps:
        return False
    return recipient.only_steps is None or step.code in recipient.only_steps


async def due_items(
    session: AsyncSession, user_id: int, rules: Calendar, now: dt.datetime
) -> list[DueItem]:
    found: dict[str, DueItem] = {}
    person = await memberships(session, user_id)
    events = [] if person is None else await candidate_events(
        session, person.belonging(), rules, now
    )  # fmt: skip
    names = await _subject_names(session, {e.subject_id for e in events})
    zones = await region_zones(session, events)
    for event in events:
        ru, en = names.get(event.subject_id, ("", ""))
        assert person is not None
        for recipient in recipients_in(event, zones[event.region_id], person):
            steps = steps_for_date(event.level, recipient.held_on, rules, recipient.step_zone)
            for step in (s for s in steps if _wanted(s, recipient, now)):
                uid = f"{event.id}-{step.code}"
                found.setdefault(uid, DueItem(uid, step, recipient.audience, event.level,
                                              event.id, ru, en))  # fmt: skip
    for year in creation_years(now):
        for target in await creation_targets(session, rules, year, only_user=user_id):
            for step in (s for s in target.steps if _wanted(s, target.recipient, now)):
                uid = f"{target.level.value}-{target.scope_key}-{year}-{step.code}"
                found.setdefault(
                    uid,
                    DueItem(
                        uid,
                        step,
                        target.recipient.audience,
                        target.level,
                        None,
                        scope_key=target.scope_key,
                    ),
                )
    return sorted(found.values(), key=lambda item: (item.step.due_at, item.uid))


async def _subject_names(session: AsyncSession, ids: set[int]) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Subject.id, Subject.name_ru, Subject.name_en).where(Subject.id.in_(ids))
    )
    return {subject_id: (ru, en) for subject_id, ru, en in rows}
