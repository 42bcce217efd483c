"""The reminder use cases: what is due for me, settings and mutes re-plan my queued reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.synthetic import Shape, SyntheticRegion, build_region, default_rules
from bot.i18n import build_i18n
from models.outbox import Mute, Outbox, OutboxStatus
from reminders.planner import plan_creation, replan_event
from services.errors import Refused
from services.reminder_settings import settings as reminders

RULES = default_rules()
NOW = dt.datetime(2026, 8, 20, tzinfo=dt.UTC)
TINY = Shape(students=4, municipalities=1, schools_per_municipality=1, subjects=2,
             parent_every=100, registered_every=2)  # fmt: skip


async def world(sessionmaker: async_sessionmaker[AsyncSession]) -> SyntheticRegion:
    async with sessionmaker() as session, session.begin():
        region = await build_region(session, TINY, NOW)
        for event_id in region.event_ids:
            await replan_event(session, event_id, RULES, NOW)
        await plan_creation(session, RULES, 2026, NOW)
    return region


async def pending(session: AsyncSession, user_id: int) -> list[Outbox]:
    # The consent reminders (issue 17) have their own tests (tests/*/test_consent.py).
    query = select(Outbox).where(
        Outbox.user_id == user_id, Outbox.status == "pending", Outbox.step != "consent_due"
    )
    rows = await session.scalars(query.execution_options(populate_existing=True))
    return sorted(rows, key=lambda r: (r.due_at, r.key))


async def test_due_lists_my_steps_soonest_first(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    region = await world(sessionmaker)
    async with sessionmaker() as session:
        registered = await reminders.due(session, reminders.Context(region.student_ids[0],
                                                                    RULES, NOW))  # fmt: skip
        eligible = await reminders.due(session, reminders.Context(region.student_ids[1],
                                                                  RULES, NOW))  # fmt: skip
        coordinator = await reminders.due(session, reminders.Context(
            region.staff_ids["municipal"][0], RULES, NOW))  # fmt: skip
    assert [i.step.code for i in registered] == ["stage_day", "stage_day"]
    assert [i.step.code for i in eligible] == ["registration_closes", "registration_closes"]
    assert [i.uid for i in eligible] == [f"{e}-registration_closes" for e in region.event_ids]
    codes = [i.step.code for i in coordinator]
    assert codes[:2] == ["creation_due", "creation_control"]  # 1 and 5 September come first
    assert "registration_control" in codes and "close_control" in codes
    assert [i.step.due_at for i in coordinator] == sorted(i.step.due_at for i in coordinator)


async def test_changing_offsets_and_quiet_hours_replans(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    region = await world(sessionmaker)
    curator = region.staff_ids["curator"][0]
    ctx = reminders.Context(curator, RULES, NOW)
    async with sessionmaker() as session, session.begin():
        before = await pending(session, curator)
        await reminders.toggle_offset(session, ctx, 3 * 24 * 60)  # add "3 days before"
        added = await pending(session, curator)
        await reminders.set_quiet(session, ctx, 3)  # no quiet hours
        quiet_off = await pending(session, curator)
        with pytest.raises(Refused):
            await reminders.set_quiet(session, ctx, 99)
    assert len(added) == len(before) * 3 // 2
    # Without quiet hours the reminders keep their exact moments: midnight minus whole days.
    assert {r.due_at.astimezone(dt.UTC).time() for r in quiet_off} == {dt.time(13, 0)}


async def test_mark_done_and_category_mutes(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    region = await world(sessionmaker)
    curator = region.staff_ids["curator"][0]
    ctx = reminders.Context(curator, RULES, NOW)
    first = region.event_ids[0]
    async with sessionmaker() as session, session.begin():
        await reminders.mark_done(session, ctx, first, "registration_closes")
        left = {(r.event_id, r.step) for r in await pending(session, curator)}
        assert (first, "registration_closes") not in left
        assert (region.event_ids[1], "registration_closes") in left
        assert await reminders.toggle_category(session, ctx, 2)  # results_due muted
        assert all(r.step != "results_due" for r in await pending(session, curator))
        assert not await reminders.toggle_category(session, ctx, 2)  # and back
        assert any(r.step == "results_due" for r in await pending(session, curator))
        marks = await reminders.mutes(session, curator)
        i18n = build_i18n("ru")
        with i18n.context(), i18n.use_locale("ru"):
            names = await reminders.mute_names(session, marks, "ru")
    assert [m.target for m in marks] == [f"done:{first}:registration_closes"]
    assert names[marks[0].id].startswith("Закрытие регистрации: ")


async def test_one_cannot_unmute_someone_else(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    region = await world(sessionmaker)
    owner, other = region.staff_ids["curator"][0], region.staff_ids["municipal"][0]
    async with sessionmaker() as session, session.begin():
        await reminders.mute_event(session, reminders.Context(owner, RULES, NOW),
                                   region.event_ids[0])  # fmt: skip
        [mute] = await reminders.mutes(session, owner)
        with pytest.raises(Refused):
            await reminders.unmute(session, reminders.Context(other, RULES, NOW), mute.id)
        assert await session.get(Mute, mute.id) is not None
        status = {
            r.status
            for r in (
                await session.scalars(
                    select(Outbox).where(
                        Outbox.user_id == owner, Outbox.event_id == region.event_ids[0]
                    )
                )
            ).all()
        }
    assert status == {OutboxStatus.CANCELLED}
