"""Importing reference data and the demo into a real SQLite file: idempotent, dated from today."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from calendars.errors import ReferenceDataError
from calendars.school_year import school_year_of
from models import Base, Municipality, OlympiadEvent, Region, School, Subject
from models.enums import EventStatus, Level
from models.olympiad import scope_key_for
from services.reference.demo import load_demo
from services.reference.importer import (
    import_geography,
    import_reference,
    load_deployment_data,
)
from services.reference.loader import load_demo_file, load_reference
from services.reference.reference_data import ReferenceData
from services.reference.schema import SubjectRow

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "data" / "reference"
DEMO = ROOT / "data" / "demo" / "demo.yaml"
NOW = dt.datetime(2026, 10, 1, 0, 30, tzinfo=dt.UTC)
GEOGRAPHY = """\
regions:
  "70":
    - code: tomsk
      name: Город Томск
      schools:
        - {code: gym1, name: МАОУ Гимназия № 1 г. Томска}
        - {code: lyc7, name: МАОУ Лицей № 7 г. Томска}
    - code: kolpashevo
      name: Колпашевский район
"""

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
def sessions(sessionmaker: Sessions) -> Sessions:
    """tests/conftest.py: a fresh SQLite file (and PostgreSQL when reachable) with the schema."""
    return sessionmaker


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return load_reference(REFERENCE)


async def count(sessions: Sessions, model: type[Base]) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_import_reference_twice_is_idempotent(
    sessions: Sessions, ref: ReferenceData
) -> None:
    async with sessions() as session, session.begin():
        first = await import_reference(session, ref, NOW)
    async with sessions() as session, session.begin():
        second = await import_reference(session, ref, NOW)
    assert (first.new["subject"], first.new["region"]) == (24, len(ref.regions))
    assert (second.total_new, second.total_updated) == (0, 0)
    assert second.unchanged["subject"] == 24
    assert (await count(sessions, Subject), await count(sessions, Region)) == (
        24,
        len(ref.regions),
    )
    async with sessions() as session:
        sakhalin = await session.scalar(select(Region).where(Region.code == "65"))
    assert sakhalin is not None and sakhalin.timezone == "Asia/Sakhalin"


async def test_import_reference_updates_by_code(sessions: Sessions, ref: ReferenceData) -> None:
    async with sessions() as session, session.begin():
        await import_reference(session, ref, NOW)
    renamed = tuple(
        SubjectRow.model_validate({**s.model_dump(), "name_en": "Maths"})
        if s.code == "math"
        else s
        for s in ref.subjects
    )
    async with sessions() as session, session.begin():
        report = await import_reference(session, dataclasses.replace(ref, subjects=renamed), NOW)
    assert (report.total_new, report.updated["subject"]) == (0, 1)
    assert report.summary()[0] == "subject: 0 new, 1 updated, 23 unchanged"
    async with sessions() as session:
        math = await session.scalar(select(Subject).where(Subject.code == "math"))
    assert math is not None and math.name_en == "Maths"


async def test_geography_file_twice(
    sessions: Sessions, ref: ReferenceData, tmp_path: Path
) -> None:
    path = tmp_path / "tomsk.yaml"
    path.write_text(GEOGRAPHY, encoding="utf-8")
    async with sessions() as session, session.begin():
        await import_reference(session, ref, NOW)
        first = await load_deployment_data(session, path, NOW)
    async with sessions() as session, session.begin():
        second = await import_geography(session, path, NOW)
    assert (first.new["municipality"], first.new["school"]) == (2, 2)
    assert (second.total_new, second.total_updated) == (0, 0)
    assert (await count(sessions, Municipality), await count(sessions, School)) == (2, 2)


async def test_geography_needs_its_regions(sessions: Sessions, tmp_path: Path) -> None:
    path = tmp_path / "tomsk.yaml"
    path.write_text(GEOGRAPHY, encoding="utf-8")
    async with sessions() as session, session.begin():
        with pytest.raises(ReferenceDataError) as caught:
            await import_geography(session, path, NOW)
    assert caught.value.problems == (
        'tomsk.yaml: regions."70": region "70" is not in the database; '
        "import the reference directory first",
    )
    assert await count(sessions, Municipality) == 0


async def test_deployment_directory_with_geography(sessions: Sessions, tmp_path: Path) -> None:
    shutil.copytree(REFERENCE, tmp_path / "ref")
    (tmp_path / "ref" / "geography.yaml").write_text(GEOGRAPHY, encoding="utf-8")
    async with sessions() as session, session.begin():
        report = await load_deployment_data(session, tmp_path / "ref", NOW)
    assert (report.new["subject"], report.new["municipality"], report.new["school"]) == (24, 2, 2)


async def test_deployment_directory_is_validated_before_writing(
    sessions: Sessions, tmp_path: Path
) -> None:
    shutil.copytree(REFERENCE, tmp_path / "ref")
    bad = GEOGRAPHY.replace("code: lyc7", "code: gym1")
    (tmp_path / "ref" / "geography.yaml").write_text(bad, encoding="utf-8")
    async with sessions() as session, session.begin():
        with pytest.raises(ReferenceDataError, match=r'^geography\.yaml, line 5: regions\."70"'):
            await load_deployment_data(session, tmp_path / "ref", NOW)
    assert await count(sessions, Subject) == 0


async def demo_events(sessions: Sessions) -> dict[tuple[str, str], OlympiadEvent]:
    async with sessions() as session:
        rows = await session.execute(select(Subject.code, OlympiadEvent).join(Subject))
        return {(code, event.level): event for code, event in rows}


async def run_demo(
    sessions: Sessions, ref: ReferenceData, today: dt.date, now: dt.datetime
) -> None:
    async with sessions() as session, session.begin():
        await load_demo(session, load_demo_file(DEMO, ref), ref, today, now)


async def test_demo_twice_no_duplicates_dates_from_today(
    sessions: Sessions, ref: ReferenceData
) -> None:
    today = dt.date(2026, 10, 1)
    await run_demo(sessions, ref, today, NOW)
    first = await demo_events(sessions)
    await run_demo(sessions, ref, today, NOW + dt.timedelta(hours=1))
    events = await demo_events(sessions)
    assert len(events) == 8 == await count(sessions, OlympiadEvent)
    assert (await count(sessions, Municipality), await count(sessions, School)) == (1, 4)
    assert {key: e.updated_at for key, e in events.items()} == {
        key: e.updated_at for key, e in first.items()
    }
    math = events["math", Level.SCHOOL]
    assert (math.held_on, math.grade_min, math.grade_max) == (dt.date(2026, 10, 13), 4, 11)
    assert math.scope_key == scope_key_for(math.region_id, math.municipality_id)
    assert math.scope_key.startswith("m")
    assert events["russian", Level.SCHOOL].held_on - dt.timedelta(days=5) == today + dt.timedelta(
        2
    )
    history = events["history", Level.SCHOOL]
    assert (history.status, history.held_on) == (EventStatus.SUMMARIZING, dt.date(2026, 9, 21))
    informatics = events["informatics", Level.SCHOOL]
    assert informatics.date_for_grade(5) == dt.date(2026, 10, 16)
    assert informatics.date_for_grade(11) == dt.date(2026, 10, 18)
    assert events["math", Level.MUNICIPAL].grade_min == 7
    assert all(e.school_year == 2026 for e in events.values())


async def test_demo_loaded_again_later_keeps_its_first_dates(
    sessions: Sessions, ref: ReferenceData
) -> None:
    await run_demo(sessions, ref, dt.date(2026, 8, 20), NOW)
    before = await demo_events(sessions)
    await run_demo(sessions, ref, dt.date(2026, 9, 29), NOW + dt.timedelta(days=40))
    after = await demo_events(sessions)
    assert len(after) == 8 == await count(sessions, OlympiadEvent)
    assert {key: (e.held_on, e.status, e.updated_at) for key, e in after.items()} == {
        key: (e.held_on, e.status, e.updated_at) for key, e in before.items()
    }
    assert all(e.school_year == school_year_of(e.held_on) for e in after.values())
