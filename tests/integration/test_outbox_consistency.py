"""Planning an event for everyone and planning one person across events agree, row for row."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.olympiad import OlympiadEvent
from models.people import User
from reminders.plan import RowSpec
from reminders.planner import event_rows, user_rows
from tests.support.planning import NOW, RULES, varied_region


async def test_event_and_person_planning_agree(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        region = await varied_region(session)

        by_user: dict[int, dict[str, RowSpec]] = defaultdict(dict)
        for event_id in region.event_ids:
            event = await session.get(OlympiadEvent, event_id)
            assert event is not None
            for key, row in (await event_rows(session, event, RULES, NOW)).items():
                by_user[row.user_id][key] = row
        people = list(await session.scalars(select(User.id)))
        for user_id in people:
            mine = await user_rows(session, user_id, RULES, NOW)
            planned = {k: r for k, r in mine.items() if r.event_id is not None}
            assert planned == by_user.get(user_id, {}), f"user {user_id}"
        # The incremental path (one registration re-plans only the people it names) finds the
        # same rows as planning the whole event.
        for event_id in region.event_ids[:3]:
            event = await session.get(OlympiadEvent, event_id)
            assert event is not None
            for user_id in people[::7]:
                alone = await event_rows(session, event, RULES, NOW, [user_id])
                wanted = {k: r for k, r in by_user.get(user_id, {}).items()}
                assert alone == {k: r for k, r in wanted.items() if r.event_id == event_id}
    assert len(by_user) > 30
