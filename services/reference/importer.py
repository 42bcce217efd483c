"""Reference data into the database: insert or update by code, never delete, never commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.errors import ReferenceDataError
from models import Municipality, Region, School, Subject
from services.reference.loader import GEOGRAPHY_FILE, load_geography, load_reference
from services.reference.reference_data import ReferenceData
from services.reference.schema import GeographyFile, MunicipalityRow

Outcome = Literal["new", "updated", "unchanged"]


@dataclass
class ImportReport:
    """What an import did, by kind of row: "subject", "region", "municipality", "school"."""

    at: datetime
    new: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def total_new(self) -> int:
        return sum(self.new.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())

    def record(self, kind: str, outcome: Outcome) -> None:
        {"new": self.new, "updated": self.updated, "unchanged": self.unchanged}[outcome][kind] += 1

    def merge(self, other: ImportReport) -> None:
        self.new.update(other.new)
        self.updated.update(other.updated)
        self.unchanged.update(other.unchanged)

    def summary(self) -> list[str]:
        kinds = [k for k in ("subject", "region", "municipality", "school") if self._seen(k)]
        return [
            f"{kind}: {self.new[kind]} new, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in kinds
        ]

    def _seen(self, kind: str) -> bool:
        return bool(self.new[kind] or self.updated[kind] or self.unchanged[kind])


def apply_values(row: object, values: Mapping[str, object]) -> bool:
    """Set the attributes that differ; True if any did. Equal values are left untouched so that
    an unchanged row issues no UPDATE."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


async def import_reference(
    session: AsyncSession, ref: ReferenceData, now: datetime
) -> ImportReport:
    """Subjects and regions by code. Levels and deadline rules are read from files, not stored."""
    report = ImportReport(at=now)
    codes = [row.code for row in ref.subjects]
    subjects = {
        s.code: s for s in await session.scalars(select(Subject).where(Subject.code.in_(codes)))
    }
    for subject_row in ref.subjects:
        values = subject_row.model_dump(include={"name_ru", "name_en", "sort_order"})
        current = subjects.get(subject_row.code)
        report.record("subject", _put(session, current, Subject, subject_row.code, values))
    codes = [row.code for row in ref.regions]
    regions = {
        r.code: r for r in await session.scalars(select(Region).where(Region.code.in_(codes)))
    }
    for region_row in ref.regions:
        values = region_row.model_dump(include={"name_ru", "name_en", "timezone"})
        current_region = regions.get(region_row.code)
        report.record("region", _put(session, current_region, Region, region_row.code, values))
    await session.flush()
    return report


def _put(
    session: AsyncSession,
    current: Subject | Region | None,
    model: type[Subject] | type[Region],
    code: str,
    values: Mapping[str, object],
) -> Outcome:
    if current is None:
        session.add(model(code=code, **values))
        return "new"
    return "updated" if apply_values(current, values) else "unchanged"


async def import_geography(session: AsyncSession, path: Path, now: datetime) -> ImportReport:
    """A deployment's municipalities and schools from one YAML file; its regions must exist."""
    return await import_geography_data(session, load_geography(path), now, path.name)


async def import_geography_data(
    session: AsyncSession, geo: GeographyFile, now: datetime, source: str
) -> ImportReport:
    report = ImportReport(at=now)
    query = select(Region).where(Region.code.in_(list(geo.regions)))
    regions = {r.code: r for r in await session.scalars(query)}
    missing = [code for code in geo.regions if code not in regions]
    if missing:
        raise ReferenceDataError(
            f'{source}: regions."{code}": region "{code}" is not in the database; '
            "import the reference directory first"
            for code in missing
        )
    for code, rows in geo.regions.items():
        for row in rows:
            await _put_municipality(session, regions[code], row, report)
    await session.flush()
    return report


async def _put_municipality(
    session: AsyncSession, region: Region, row: MunicipalityRow, report: ImportReport
) -> None:
    query = select(Municipality).where(
        Municipality.region_id == region.id, Municipality.code == row.code
    )
    municipality = await session.scalar(query)
    if municipality is None:
        municipality = Municipality(region_id=region.id, code=row.code, name=row.name)
        session.add(municipality)
        await session.flush()  # the schools below need its id
        report.record("municipality", "new")
    else:
        changed = apply_values(municipality, {"name": row.name})
        report.record("municipality", "updated" if changed else "unchanged")
    query_schools = select(School).where(School.municipality_id == municipality.id)
    schools = {s.code: s for s in await session.scalars(query_schools)}
    for school_row in row.schools:
        values = {"name": school_row.name, "timezone": school_row.timezone}
        school = schools.get(school_row.code)
        if school is None:
            session.add(School(municipality_id=municipality.id, code=school_row.code, **values))
            report.record("school", "new")
        else:
            report.record("school", "updated" if apply_values(school, values) else "unchanged")


async def load_deployment_data(session: AsyncSession, path: Path, now: datetime) -> ImportReport:
    """A reference directory (with an optional geography.yaml) or a single geography file.

    Everything is validated before the first row is written."""
    if not path.is_dir():
        return await import_geography(session, path, now)
    problems: list[str] = []
    ref = geo = None
    try:
        ref = load_reference(path)
    except ReferenceDataError as exc:
        problems.extend(exc.problems)
    if (path / GEOGRAPHY_FILE).is_file():
        try:
            geo = load_geography(path / GEOGRAPHY_FILE)
        except ReferenceDataError as exc:
            problems.extend(exc.problems)
    if ref is None or problems:
        raise ReferenceDataError(problems)
    report = await import_reference(session, ref, now)
    if geo is not None:
        report.merge(await import_geography_data(session, geo, now, GEOGRAPHY_FILE))
    return report
