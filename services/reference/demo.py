"""The demo deployment in the database, its events dated from the day it is first loaded."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.errors import ReferenceDataError
from calendars.school_year import school_year_of
from models import Municipality, OlympiadEvent, Region, Subject
from models.enums import Level
from models.olympiad import scope_key_for
from services.reference.demo_schema import DemoData, DemoEvent, demo_problems
from services.reference.importer import import_geography_data, import_reference
from services.reference.reference_data import ReferenceData
from services.reference.schema import GeographyFile

DEMO_SOURCE = "demo.yaml"


async def load_demo(
    session: AsyncSession, demo: DemoData, ref: ReferenceData, today: dt.date, now: dt.datetime
) -> None:
    """Reference data, the demo region's municipality and schools, and the demo events.

    Safe to run on every start: an event already there is left as the season made it (its
    status, scores, dates), so that a restart resumes the season instead of rewinding it while
    its registrations and results stay."""
    problems = demo_problems(demo, ref, DEMO_SOURCE)
    if problems:
        raise ReferenceDataError(problems)
    await import_reference(session, ref, now)
    geography = GeographyFile(regions={demo.region.code: (demo.municipality,)})
    await import_geography_data(session, geography, now, DEMO_SOURCE)
    region = (await session.scalars(select(Region).where(Region.code == demo.region.code))).one()
    municipality = (
        await session.scalars(
            select(Municipality).where(
                Municipality.region_id == region.id, Municipality.code == demo.municipality.code
            )
        )
    ).one()
    codes = {event.subject for event in demo.events}
    subjects = {
        s.code: s for s in await session.scalars(select(Subject).where(Subject.code.in_(codes)))
    }
    for event in demo.events:
        # The municipality organises the school and municipal stages, the region the regional one.
        municipality_id = None if event.level == Level.REGIONAL else municipality.id
        values = _event_values(event, ref, today)
        await _put_event(
            session,
            subject_id=subjects[event.subject].id,
            level=event.level,
            region_id=region.id,
            municipality_id=municipality_id,
            values=values,
            now=now,
        )
    await session.flush()


def _event_values(event: DemoEvent, ref: ReferenceData, today: dt.date) -> dict[str, object]:
    held_on = today + dt.timedelta(days=event.held_in_days)
    grades = event.grades or ref.grades_for(event.subject, event.level)
    grade_dates = {
        str(grade): (today + dt.timedelta(days=days)).isoformat()
        for grade, days in sorted((event.grade_days or {}).items())
    }
    return {
        "held_on": held_on,
        "school_year": school_year_of(held_on),
        "grade_dates": grade_dates or None,
        "grade_min": grades.grade_min,
        "grade_max": grades.grade_max,
        "place": event.place,
        "status": event.status,
        "max_score": event.max_score,
        "passing_score": event.passing_score,
    }


async def _put_event(
    session: AsyncSession,
    *,
    subject_id: int,
    level: Level,
    region_id: int,
    municipality_id: int | None,
    values: dict[str, object],
    now: dt.datetime,
) -> None:
    scope_key = scope_key_for(region_id, municipality_id)
    loaded = await session.scalar(
        select(OlympiadEvent.id)
        .where(
            OlympiadEvent.subject_id == subject_id,
            OlympiadEvent.level == level,
            OlympiadEvent.scope_key == scope_key,
        )
        .limit(1)
    )
    if loaded is not None:
        return
    session.add(
        OlympiadEvent(
            subject_id=subject_id,
            level=level,
            region_id=region_id,
            municipality_id=municipality_id,
            scope_key=scope_key,
            created_at=now,
            updated_at=now,
            **values,
        )
    )
