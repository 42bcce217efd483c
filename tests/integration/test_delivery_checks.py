"""Control points: one report to the coordinator, a nudge to each lagging school's curator."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.synthetic import Shape, SyntheticRegion, build_region, default_rules
from bot.i18n import build_i18n
from calendars.clock import FixedClock
from models.olympiad import Registration
from models.outbox import Outbox
from models.people import User
from offline.api_server import FakeBotAPI
from reminders.planner import plan_creation, replan_event
from reminders.worker import WorkerConfig, drain_once

RULES = default_rules()
PLANNED = dt.datetime(2026, 8, 20, tzinfo=dt.UTC)
# D − 5 at 23:59 in Sakhalin is quiet: the report comes at 08:00 on 27 September.
REGISTRATION_CONTROL = dt.datetime(2026, 9, 26, 21, 0, tzinfo=dt.UTC)
TINY = Shape(students=8, municipalities=1, schools_per_municipality=2, subjects=1,
             parent_every=100, registered_every=2)  # fmt: skip
CONFIG = WorkerConfig(per_chat_interval=0)


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return build_i18n("ru")


@pytest.fixture
async def server() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = server.make_bot()
    yield bot
    await bot.session.close()


async def world(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI
) -> SyntheticRegion:
    async with sessionmaker() as session, session.begin():
        region = await build_region(session, TINY, PLANNED)
        for event_id in region.event_ids:
            await replan_event(session, event_id, RULES, PLANNED)
        for tg_id in await session.scalars(select(User.tg_id)):
            server.add_user(tg_id or 0, "Someone")
    return region


async def texts(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, user_id: int
) -> list[str]:
    async with sessionmaker() as session:
        tg_id = (await session.get(User, user_id)).tg_id  # type: ignore[union-attr]
    return [m.text for m in server.bot_messages(tg_id or 0)]


async def test_registration_control_reports_and_nudges(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    region = await world(sessionmaker, server)
    # Every registered student (every second one) studies at the first school.
    clock = FixedClock(REGISTRATION_CONTROL)
    await drain_once(bot, sessionmaker, clock, RULES, i18n, config=CONFIG)
    [organiser] = region.staff_ids["municipal"]
    [report] = await texts(sessionmaker, server, organiser)
    lagging = f"Школа № {region.school_ids[1]}"
    assert "Контроль регистрации" in report and "Школы без зарегистрированных" in report
    assert f"• {lagging}" in report and f"№ {region.school_ids[0]}" not in report
    first, second = region.staff_ids["curator"]
    # The first school's curator hears only of its missing parents' consents (issue 17).
    told = await texts(sessionmaker, server, first)
    assert [t for t in told if not t.startswith("⏰ Срок согласия родителя")] == []
    [nudge] = await texts(sessionmaker, server, second)
    assert "От вашей школы никто не зарегистрирован" in nudge
    await drain_once(bot, sessionmaker, clock, RULES, i18n, config=CONFIG)
    assert len(await texts(sessionmaker, server, second)) == 1  # nudged once


async def test_a_check_that_finds_nothing_sends_nothing(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    region = await world(sessionmaker, server)
    async with sessionmaker() as session, session.begin():
        student = region.student_ids[1]  # at the second school
        session.add(Registration(event_id=region.event_ids[0], student_id=student, grade=6,
                                 created_at=PLANNED))  # fmt: skip
    clock = FixedClock(REGISTRATION_CONTROL)
    await drain_once(bot, sessionmaker, clock, RULES, i18n, config=CONFIG)
    [organiser] = region.staff_ids["municipal"]
    assert await texts(sessionmaker, server, organiser) == []
    async with sessionmaker() as session:
        check = (await session.scalars(select(Outbox).where(
            Outbox.step == "registration_control"))).one()  # fmt: skip
    assert (check.status, check.last_error) == ("dropped", "nothing to report")


async def test_creation_control_lists_subjects_without_an_event(
    sessionmaker: async_sessionmaker[AsyncSession], server: FakeBotAPI, bot: Bot, i18n: I18n
) -> None:
    region = await world(sessionmaker, server)
    async with sessionmaker() as session, session.begin():
        await plan_creation(session, RULES, 2026, PLANNED)
    # The school stage's creation control: the end of 5 September, reported the next morning.
    clock = FixedClock(dt.datetime(2026, 9, 5, 21, 0, tzinfo=dt.UTC))
    await drain_once(bot, sessionmaker, clock, RULES, i18n, config=CONFIG)
    [organiser] = region.staff_ids["municipal"]
    [report] = await texts(sessionmaker, server, organiser)
    assert "Контроль создания мероприятий" in report and "школьный этап: все предметы" in report
    assert "• Астрономия" in report and "• Английский язык" not in report  # it has an event
    assert "… и ещё 8" in report  # 23 missing: 15 listed
    [overview] = await texts(sessionmaker, server, region.staff_ids["regional"][0])
    assert f"Район {region.municipality_ids[0]}: 1/24" in overview
