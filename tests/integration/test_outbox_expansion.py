"""Planning a whole event set-based in SQL stores exactly the rows the Python rules give."""

from __future__ import annotations

import dataclasses
from collections import Counter

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.olympiad import OlympiadEvent
from models.outbox import CalendarQuiet, Mute, Outbox, OutboxStatus
from reminders.planner import event_rows, replan_event, replan_user
from reminders.sync import PLANNED_KINDS
from tests.support.planning import NOW, RULES, varied_region

_FIELDS = ("key", "user_id", "event_id", "kind", "step", "audience", "due_at", "step_at",
           "step_zone", "expires_at")  # fmt: skip


async def stored(session: AsyncSession, event_id: int) -> dict[str, tuple[object, ...]]:
    rows = await session.scalars(
        select(Outbox)
        .where(Outbox.event_id == event_id, Outbox.status == OutboxStatus.PENDING)
        .execution_options(populate_existing=True)
    )
    return {row.key: tuple(str(getattr(row, name)) for name in _FIELDS) for row in rows}


async def wanted(session: AsyncSession, event_id: int) -> dict[str, tuple[object, ...]]:
    event = await session.get(OlympiadEvent, event_id)
    assert event is not None
    found = {}
    for key, spec in (await event_rows(session, event, RULES, NOW)).items():
        if spec.due_at >= NOW:  # what is already due is never created
            values = dataclasses.asdict(spec)
            found[key] = tuple(str(values[name]) for name in _FIELDS)
    return found


async def test_set_based_plan_stores_the_rows_of_the_rules(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        region = await varied_region(session, curator_parent=True)
        total = 0
        for event_id in region.event_ids:
            stats = await replan_event(session, event_id, RULES, NOW)
            expected = await wanted(session, event_id)
            assert await stored(session, event_id) == expected, f"event {event_id}"
            assert stats.inserted == len(expected)
            total += len(expected)
            again = await replan_event(session, event_id, RULES, NOW)
            assert (again.inserted, again.cancelled, again.revived, again.kept) == (
                0, 0, 0, len(expected),
            )  # fmt: skip
    assert total > 150


async def test_a_mute_after_planning_cancels_exactly_the_muted_rows(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        region = await varied_region(session)
        event_id, student = region.event_ids[2], region.student_ids[0]
        await replan_event(session, event_id, RULES, NOW)
        before = await stored(session, event_id)
        session.add(Mute(user_id=student, target="step:stage_day", created_at=NOW))
        stats = await replan_event(session, event_id, RULES, NOW)
        after = await stored(session, event_id)
        assert after == await wanted(session, event_id)
        gone = before.keys() - after.keys()
        assert gone and all(f":{student}:" in key and "stage_day" in key for key in gone)
        assert stats.cancelled == len(gone) and stats.inserted == 0
        await session.execute(Mute.__table__.delete().where(Mute.user_id == student))
        back = await replan_event(session, event_id, RULES, NOW)
        assert back.revived == len(gone) and await stored(session, event_id) == before
        kinds = await session.scalars(select(Outbox.kind).where(Outbox.event_id == event_id))
        assert set(kinds) <= set(PLANNED_KINDS)


async def test_own_olympiad_quiet_hours_move_only_that_persons_rows(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Quiet hours per calendar: the set-based plan, the row-by-row rules and the per-person
    re-plan read a person's own olympiad quiet hours alike; another calendar's are not read."""
    async with sessionmaker() as session, session.begin():
        region = await varied_region(session)
        event_id = region.event_ids[2]
        await replan_event(session, event_id, RULES, NOW)
        before = await stored(session, event_id)
        counts = Counter(values[1] for values in before.values())
        (mine, _), (other, _) = counts.most_common(2)
        for user_id, calendar in ((mine, "olympiad"), (other, "school_passport")):
            own = CalendarQuiet(user_id=int(str(user_id)), calendar=calendar,
                                quiet_start=18 * 60, quiet_end=9 * 60, updated_at=NOW)  # fmt: skip
            session.add(own)
        await session.flush()
        await replan_event(session, event_id, RULES, NOW)
        after = await stored(session, event_id)
        assert after == await wanted(session, event_id)
        moved = {values[1] for values in set(before.values()) ^ set(after.values())}
        assert moved == {mine}
        await replan_user(session, int(str(mine)), RULES, NOW)
        assert await stored(session, event_id) == after
