"""Importing last year's winners and prize-winners of a stage from the organiser's file.

Columns: «Фамилия», «Имя», «Отчество» (optional), «Класс» — the grade written in LAST YEAR's
protocol (the student is expected one grade up now) —, «Предмет» (name or code) and «Статус»
(победитель / призёр). Each row is matched to a known student of the organiser's scope; rows
that match nobody, or more than one person, are reported and skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.admission import PriorAward
from models.enums import PersonKind, Placement
from models.geo import Municipality, School
from models.olympiad import Subject
from models.people import User
from services.admission.sources import Target
from services.audit import record as audit
from services.authz import Action, authorize
from services.errors import Refused
from services.people.identity import Identity
from services.results.match import NameIndex, pick
from services.results.upload import FORMATS, MAX_ROWS, NAME_COLUMNS, given_name, grade_of
from services.rules.admission import grade_now
from services.rules.scores import parse_placement
from services.tabular.table import ColumnSpec, Row, normalize_header, read_table

_Student = tuple[int, str, int | None]
AWARD_COLUMNS = [
    *NAME_COLUMNS,
    ColumnSpec("subject", ("Предмет", "Subject")),
    ColumnSpec("placement", ("Статус", "Результат", "Placement")),
]
TEMPLATE_HEADERS = [spec.headers[0] for spec in AWARD_COLUMNS]


@dataclass(frozen=True)
class AwardOutcome:
    number: int
    name: str
    added: bool = False
    problem: Refused | None = None


def _students_of(target: Target) -> ColumnElement[bool]:
    if target.scope.municipality_id is not None:
        return School.municipality_id == target.scope.municipality_id
    return Municipality.region_id == target.scope.region_id


@dataclass(frozen=True)
class _Lookups:
    subjects: dict[str, int]  # every spelling (code, Russian, English name) → id
    students: NameIndex[_Student]
    known: set[tuple[int, int]]  # (student, subject) awards already stored


async def _lookups(session: AsyncSession, target: Target) -> _Lookups:
    subjects = {}
    for subject in await session.scalars(select(Subject)):
        for spelling in (subject.code, subject.name_ru, subject.name_en):
            subjects[normalize_header(spelling)] = subject.id
    students = await session.execute(
        select(User.id, User.full_name, User.grade)
        .join(School, User.school_id == School.id)
        .join(Municipality, School.municipality_id == Municipality.id)
        .where(User.kind == PersonKind.STUDENT, _students_of(target))
    )
    known = await session.execute(
        select(PriorAward.student_id, PriorAward.subject_id).where(
            PriorAward.level == target.level, PriorAward.school_year == target.school_year - 1
        )
    )
    return _Lookups(
        subjects,
        NameIndex([(i, n, g) for i, n, g in students], lambda s: s[1]),
        {(student_id, subject_id) for student_id, subject_id in known},
    )


async def import_awards(
    session: AsyncSession, ident: Identity, target: Target, file: tuple[str, bytes], now: datetime
) -> list[AwardOutcome]:
    authorize(ident, Action.FORM_LIST, target.scope, target.level)
    table = read_table(*file, AWARD_COLUMNS, max_rows=MAX_ROWS, formats=FORMATS)
    found = await _lookups(session, target)
    outcomes = []
    for row in table.rows:
        try:
            if row.problem is not None:  # cells past the header: the row is shifted
                raise row.problem
            award = _award_of(row, found, target, ident.user.id, now)
        except Refused as problem:
            outcomes.append(AwardOutcome(row.number, _shown(row), problem=problem))
            continue
        added = (award.student_id, award.subject_id) not in found.known
        if added:
            found.known.add((award.student_id, award.subject_id))
            session.add(award)
        outcomes.append(AwardOutcome(row.number, _shown(row), added=added))
    await session.flush()
    what = f"{target.level}:{target.school_year - 1}"
    after = {"added": sum(o.added for o in outcomes), "rows": len(outcomes)}
    await audit.record(session, ident, "awards_imported", target.scope, what, now, after=after)
    return outcomes


def _shown(row: Row) -> str:
    parts = (row.values["surname"], row.values["name"], row.values.get("patronymic", ""))
    return " ".join(p for p in parts if p)


def _award_of(row: Row, found: _Lookups, target: Target, by_id: int, now: datetime) -> PriorAward:
    name, grade_then = given_name(row), grade_of(row.values["grade"])
    subject_id = found.subjects.get(normalize_header(row.values["subject"]))
    if subject_id is None:
        raise Refused("res_unknown_subject_row", value=row.values["subject"][:40])
    placement = parse_placement(row.values["placement"])
    if placement not in (Placement.WINNER, Placement.PRIZE):
        raise Refused("adm_not_an_award", value=row.values["placement"][:30])
    try:
        student = pick(
            found.students.candidates(name), name, grade_now(grade_then),
            name_of=lambda s: s[1], grade_of=lambda s: s[2],
        )  # fmt: skip
    except Refused as problem:  # worded for students of the scope, not for an event's list
        raise Refused(problem.reason.replace("res_", "adm_", 1), **problem.details) from None
    return PriorAward(
        student_id=student[0],
        subject_id=subject_id,
        level=target.level,
        school_year=target.school_year - 1,
        placement=placement,
        grade=grade_then,
        scope_key=target.scope_key,
        imported_by_id=by_id,
        created_at=now,
    )
