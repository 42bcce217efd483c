"""A ВПР plan-schedule uploaded by a coordinator: subject, grade, W, U, optionally one school.

Each row concerns the uploader's whole scope (a region or a municipality), or the one school its
`school` column names. Every row is checked first; one bad row and nothing is imported, and
the answer lists every bad row. A row of the same subject and grade for the same place replaces
the earlier one (a corrected plan is uploaded again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar_steps import PlanWork
from models.enums import Role
from models.geo import School
from services.authz import is_admin
from services.calendar_steps.items import VPR, vpr_track
from services.calendar_steps.places import schools_in
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope, grant_scope
from services.tabular.table import ColumnSpec, Row, read_table

MAX_ROWS = 2000
GRADES = range(4, 12)
MAX_GAP = dt.timedelta(days=60)  # U after W: the seed's plan gives about two weeks
COLUMNS = [
    ColumnSpec("subject", ("Предмет", "subject")),
    ColumnSpec("grade", ("Класс", "grade")),
    ColumnSpec("work_on", ("Дата проведения", "W", "work date")),
    ColumnSpec("upload_on", ("Дата загрузки результатов", "U", "upload date")),
    ColumnSpec("school", ("Код школы", "Школа", "school"), required=False),
]
_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class RowProblem:
    row: int
    reason: str  # a refusal code; its text takes `details`
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanResult:
    imported: int
    schools: int  # schools the plan concerns
    problems: list[RowProblem]


def plan_scope(ident: Identity) -> Scope:
    """Where I upload a plan: my regional-centre or municipal-office grant of the calendar."""
    for grant in ident.grants:
        held = grant.role in (Role.REGIONAL_CENTRE, Role.MUNICIPAL_OFFICE)
        if held and grant.calendar in (None, VPR):
            return grant_scope(grant)
    raise Refused("forbidden" if not is_admin(ident) else "plan_no_scope")


def parse_day(text: str) -> dt.date | None:
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class _Parsed:
    subject: str
    grade: int
    work_on: dt.date
    upload_on: dt.date
    school: str


def _check(row: Row) -> _Parsed | RowProblem:  # noqa: PLR0911 - one return per problem
    if row.problem is not None:
        return RowProblem(row.number, row.problem.reason, row.problem.details)
    values = row.values
    subject = " ".join(values["subject"].split())
    if not subject or len(subject) > 100:  # noqa: PLR2004 - the column's width
        return RowProblem(row.number, "plan_bad_subject")
    grade_text = values["grade"].removesuffix(".0")
    if not grade_text.isdigit() or int(grade_text) not in GRADES:
        return RowProblem(row.number, "plan_bad_grade", {"value": values["grade"]})
    work_on, upload_on = parse_day(values["work_on"]), parse_day(values["upload_on"])
    if work_on is None:
        return RowProblem(row.number, "plan_bad_date", {"value": values["work_on"]})
    if upload_on is None:
        return RowProblem(row.number, "plan_bad_date", {"value": values["upload_on"]})
    if not work_on <= upload_on <= work_on + MAX_GAP:
        return RowProblem(row.number, "plan_upload_before_work")
    return _Parsed(subject, int(grade_text), work_on, upload_on, values.get("school", ""))


async def import_plan(
    session: AsyncSession, ident: Identity, filename: str, content: bytes, now: dt.datetime
) -> PlanResult:
    """Checks every row, then imports them all, or none when a row is wrong."""
    scope = plan_scope(ident)
    table = read_table(filename, content, COLUMNS, max_rows=MAX_ROWS)
    places = await schools_in(session, scope)
    codes = {code.casefold(): school_id for code, school_id in await _codes(session, places)}
    problems: list[RowProblem] = []
    parsed: list[tuple[int, _Parsed, int | None]] = []
    seen: dict[tuple[str, int, int | None], int] = {}
    for row in table.rows:
        found = _check(row)
        if isinstance(found, RowProblem):
            problems.append(found)
            continue
        school_id = codes.get(found.school.casefold()) if found.school else None
        if found.school and school_id is None:
            problems.append(RowProblem(row.number, "plan_unknown_school", {"value": found.school}))
            continue
        key = (found.subject.casefold(), found.grade, school_id)
        if key in seen:
            problems.append(RowProblem(row.number, "plan_repeated_row", {"first": seen[key]}))
            continue
        seen[key] = row.number
        parsed.append((row.number, found, school_id))
    if problems:
        return PlanResult(0, 0, problems)
    for _, row_, school_id in parsed:
        await _put(session, ident, scope, row_, school_id, now)
    touched = {s for _, _, s in parsed}
    schools = len(places) if None in touched else len(touched)
    return PlanResult(len(parsed), schools, [])


async def _codes(session: AsyncSession, places: list[Any]) -> list[tuple[str, int]]:
    ids = [p.school_id for p in places]
    if not ids:
        return []
    rows = await session.execute(select(School.code, School.id).where(School.id.in_(ids)))
    return [(code, school_id) for code, school_id in rows]


async def _put(  # noqa: PLR0913 - the row and where it goes
    session: AsyncSession,
    ident: Identity,
    scope: Scope,
    row: _Parsed,
    school_id: int | None,
    now: dt.datetime,
) -> None:
    assert scope.region_id is not None
    municipality_id = scope.municipality_id
    if school_id is not None:
        key = f"s{school_id}"
        municipality_id = next(
            p.municipality_id for p in await schools_in(session, Scope(school_id=school_id))
        )
    else:
        key = f"m{municipality_id}" if municipality_id is not None else f"r{scope.region_id}"
    existing = await session.scalars(
        select(PlanWork).where(
            PlanWork.calendar == VPR, PlanWork.scope_key == key, PlanWork.grade == row.grade
        )
    )
    stale = [w.id for w in existing if w.subject.casefold() == row.subject.casefold()]
    if stale:
        await session.execute(delete(PlanWork).where(PlanWork.id.in_(stale)))
    session.add(
        PlanWork(
            calendar=VPR, scope_key=key, region_id=scope.region_id,
            municipality_id=municipality_id, school_id=school_id, subject=row.subject,
            grade=row.grade, track=vpr_track(row.subject, row.grade), work_on=row.work_on,
            upload_on=row.upload_on, created_by_id=ident.user.id, created_at=now,
        )
    )  # fmt: skip
    await session.flush()
