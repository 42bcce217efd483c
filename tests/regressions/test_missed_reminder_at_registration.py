"""A reminder whose moment passed before the person registered is sent once, now (issue 15.10).

A student who wants a week's notice and registers three days before the stage used to get
nothing before it: the only planned instant lay in the past and was skipped.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.synthetic import Shape, build_region, default_rules
from models.olympiad import Registration
from models.outbox import Outbox, OutboxStatus, ReminderPreference
from reminders.planner import replan_students

RULES = default_rules()
START = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)  # D of the first subject is 1 October
TINY = Shape(students=4, municipalities=1, schools_per_municipality=1, subjects=1,
             parent_every=100, registered_every=100)  # fmt: skip
WEEK = 7 * 24 * 60


async def test_a_week_notice_wanted_three_days_ahead_comes_now_and_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        world = await build_region(session, TINY, START)
    student, event_id = world.student_ids[1], world.event_ids[0]
    late = dt.datetime(2026, 9, 27, 3, 0, tzinfo=dt.UTC)  # 14:00 in Sakhalin, D − 4
    async with sessionmaker() as session, session.begin():
        session.add(ReminderPreference(user_id=student, offsets=[WEEK], quiet_start=22 * 60,
                                       quiet_end=8 * 60, updated_at=START))  # fmt: skip
        session.add(Registration(event_id=event_id, student_id=student, grade=6, created_at=late))
        await session.flush()
        first = await replan_students(session, event_id, [student], RULES, late)
        again = await replan_students(session, event_id, [student], RULES, late)
        mine = (
            await session.scalars(
                select(Outbox).where(Outbox.user_id == student, Outbox.event_id == event_id)
            )
        ).all()
    stage_day = [r for r in mine if r.step == "stage_day" and r.status == OutboxStatus.PENDING]
    assert [r.due_at for r in stage_day] == [late]  # sent at once, not never
    assert first.inserted >= 1 and again.inserted == 0  # and only once
