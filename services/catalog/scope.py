"""SQL pieces shared by the catalog screens and registration: where a school sits, what it sees.

A school's place (municipality, region, zone) is a one-row subquery joined into each screen's
statement, so that a screen stays one round trip to the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, or_, select

from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Subject
from services.rules.eligibility import StudentFacts


def school_place(school_id: int | None, name: str = "place") -> Subquery:
    """The school's municipality, region and zone as one row (no row when there is no school)."""
    return (
        select(
            School.municipality_id.label("municipality_id"),
            Municipality.region_id.label("region_id"),
            func.coalesce(School.timezone, Region.timezone).label("zone"),
        )
        .join(Municipality, School.municipality_id == Municipality.id)
        .join(Region, Municipality.region_id == Region.id)
        .where(School.id == (school_id if school_id is not None else -1))
        .subquery(name)
    )


def open_to(place: Subquery) -> ColumnElement[bool]:
    """The event's organiser scope contains the place: its municipality, or its whole region."""
    return or_(
        OlympiadEvent.municipality_id == place.c.municipality_id,
        and_(
            OlympiadEvent.municipality_id.is_(None),
            OlympiadEvent.region_id == place.c.region_id,
        ),
    )


def subject_name(locale: str) -> Any:
    return Subject.name_en if locale == "en" else Subject.name_ru


def student_facts(
    grade: int | None,
    school_id: int | None,
    municipality_id: int | None,
    region_id: int | None,
    zone: str | None,
    default_zone: str,
) -> StudentFacts:
    return StudentFacts(
        grade=grade,
        school_id=school_id if municipality_id is not None else None,
        municipality_id=municipality_id,
        region_id=region_id,
        zone=zone or default_zone,
    )
