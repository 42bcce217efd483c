"""Subjects, events and registrations of a synthetic region, and the rules data they use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bench.synthetic.base import Shape, SyntheticRegion, bulk, next_id
from calendars.schema import Calendar
from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent, Registration, Subject

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


def default_rules() -> Calendar:
    text = (REFERENCE / "calendars" / "olympiad.yaml").read_text(encoding="utf-8")
    return Calendar.model_validate(yaml.safe_load(text))


def subject_rows() -> list[dict[str, Any]]:
    data = yaml.safe_load((REFERENCE / "subjects.yaml").read_text(encoding="utf-8"))
    keys = ("code", "name_ru", "name_en", "sort_order")
    return [{k: s[k] for k in keys} for s in data["subjects"]]


async def _subjects(session: AsyncSession, count: int) -> list[int]:
    query = select(Subject.id).order_by(Subject.sort_order)
    if not (existing := list(await session.scalars(query))):
        await bulk(session, Subject, subject_rows())
        existing = list(await session.scalars(query))
    return existing[:count]


async def add_events(
    session: AsyncSession, shape: Shape, out: SyntheticRegion, now: dt.datetime
) -> None:
    subjects = await _subjects(session, shape.subjects)
    event0 = await next_id(session, OlympiadEvent)
    per_muni: dict[int, list[int]] = {}
    events: list[dict[str, Any]] = []
    for i, muni in enumerate(out.municipality_ids):
        for j, subject_id in enumerate(subjects):
            event_id = event0 + i * len(subjects) + j
            per_muni.setdefault(muni, []).append(event_id)
            events.append(
                {
                    "id": event_id,
                    "subject_id": subject_id,
                    "level": Level.SCHOOL,
                    "region_id": out.region_id,
                    "municipality_id": muni,
                    "scope_key": f"m{muni}",
                    "school_year": shape.first_stage_day.year,
                    "grade_min": 5,
                    "grade_max": 11,
                    "held_on": shape.first_stage_day + dt.timedelta(days=j),
                    "status": EventStatus.REGISTRATION,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    out.event_ids = [event_id for ids in per_muni.values() for event_id in ids]
    await bulk(session, OlympiadEvent, events)
    per = shape.schools_per_municipality
    muni_of_school = {s: out.municipality_ids[k // per] for k, s in enumerate(out.school_ids)}
    registered = out.student_ids[:: shape.registered_every]
    await bulk(
        session,
        Registration,
        [
            {
                "event_id": e,
                "student_id": u,
                "grade": 5 + (u - out.student_ids[0]) % 7,
                "created_at": now,
            }
            for u in registered
            for e in per_muni[muni_of_school[out.school_of_student[u]]]
        ],
    )
