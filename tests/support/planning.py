"""A small region with the variety every planning path must treat alike (zones, preferences,
a digest, mutes, grade dates, people without Telegram), for the planner's integration tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from bench.synthetic import Shape, SyntheticRegion, build_region, default_rules
from models.geo import School
from models.olympiad import OlympiadEvent
from models.outbox import Mute, ReminderPreference
from models.people import ParentLink, User

RULES = default_rules()
NOW = dt.datetime(2026, 9, 1, 6, 0, tzinfo=dt.UTC)
SHAPE = Shape(students=24, municipalities=2, schools_per_municipality=2, subjects=3,
              parent_every=3, registered_every=2)  # fmt: skip


async def varied_region(session: AsyncSession, *, curator_parent: bool = False) -> SyntheticRegion:
    """A small region with the variety every planning path must treat alike: zones,
    preferences, a digest, mutes, grade dates, people without Telegram; with `curator_parent`
    a curator is also the parent of an unregistered student of their school, so one key comes
    from two audiences (the person path and the event path keep different ones of the two)."""
    region = await build_region(session, SHAPE, NOW)
    students, parents = region.student_ids, region.parent_ids
    first, second = region.event_ids[0], region.event_ids[1]
    school = await session.get(School, region.school_ids[1])
    assert school is not None
    school.timezone = "Asia/Magadan"
    (await session.get(User, parents[0])).timezone = "Europe/Moscow"  # type: ignore[union-attr]
    (await session.get(User, students[3])).tg_id = None  # type: ignore[union-attr]
    session.add(
        ReminderPreference(
            user_id=students[1],
            offsets=[3 * 24 * 60],
            quiet_start=0,
            quiet_end=0,
            digest_at=19 * 60,
            updated_at=NOW,
        )
    )
    curator = region.staff_ids["curator"][0]
    session.add_all([
        Mute(user_id=curator, target=f"event:{first}", created_at=NOW),
        Mute(user_id=curator, target=f"done:{second}:results_due", created_at=NOW),
        Mute(user_id=students[5], target="step:stage_day", created_at=NOW),
    ])  # fmt: skip
    if curator_parent:
        parent = region.staff_ids["curator"][1]
        session.add(ParentLink(parent_id=parent, child_id=students[9], created_at=NOW))
    event = await session.get(OlympiadEvent, second)
    assert event is not None
    event.grade_dates = {"5": "2026-10-20", "11": "2026-09-25"}
    await session.flush()
    return region
