"""A console restart reloads the demo: it must resume the season, not rewind the events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import OlympiadEvent, Subject
from models.enums import EventStatus, Level
from services.reference.demo import load_demo
from services.reference.loader import load_demo_file, load_reference

ROOT = Path(__file__).resolve().parents[2]
REF = load_reference(ROOT / "data" / "reference")
DEMO = load_demo_file(ROOT / "data" / "demo" / "demo.yaml", REF)
NOW = dt.datetime(2026, 10, 5, 23, 0, tzinfo=dt.UTC)


async def _school_math(session: AsyncSession) -> OlympiadEvent:
    return (
        await session.scalars(
            select(OlympiadEvent)
            .join(Subject)
            .where(Subject.code == "math", OlympiadEvent.level == Level.SCHOOL)
        )
    ).one()


async def test_restart_keeps_status_and_passing_score(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session, session.begin():
        await load_demo(session, DEMO, REF, NOW.date(), NOW)
    async with sessionmaker() as session, session.begin():
        math = await _school_math(session)
        math.status = EventStatus.SUMMARIZING
        math.passing_score = 20
        held_on = math.held_on
    later = NOW + dt.timedelta(days=3)
    async with sessionmaker() as session, session.begin():
        await load_demo(session, DEMO, REF, later.date(), later)
    async with sessionmaker() as session:
        math = await _school_math(session)
        assert (math.status, math.passing_score, math.held_on) == (
            EventStatus.SUMMARIZING,
            20,
            held_on,
        )
