"""Registrations and results of my scope as a workbook, read in chunks for a progress bar.

The workbook is an official report, so its headers and values are Russian whatever the
reader's language. It carries only what a coordinator needs: subject, stage, date, place of
study, grade, name, participation, score and result; never birth dates or documents (the bot
holds none).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.consent import Consent
from models.enums import Level, Placement, RegistrationState, Role
from models.geo import Municipality, School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.audit import record as audit
from services.authz import Action, authorize, is_admin
from services.people.identity import Identity
from services.scopes import Scope, municipality_scope, school_scope
from services.tabular.xlsx_export import CellValue, Sheet, build_workbook

CHUNK = 500
HEADERS = (
    "Предмет", "Этап", "Дата проведения", "Муниципалитет", "Школа", "Класс", "ФИО",
    "Участие", "Балл", "Макс. балл", "Результат", "Согласие родителя",
)  # fmt: skip
LEVELS = {
    Level.SCHOOL: "школьный",
    Level.MUNICIPAL: "муниципальный",
    Level.REGIONAL: "региональный",
}
STATES = {
    RegistrationState.REGISTERED: "зарегистрирован",
    RegistrationState.ADMITTED: "допущен",
    RegistrationState.PARTICIPATED: "участвовал",
    RegistrationState.ABSENT: "не явился",
}
PLACEMENTS = {
    Placement.WINNER: "победитель",
    Placement.PRIZE: "призёр",
    Placement.PARTICIPANT: "участник",
}


class Layout(StrEnum):
    BY_SUBJECT = "s"  # a sheet per subject
    FLAT = "f"  # one sheet, a subject column


async def export_scope(session: AsyncSession, ident: Identity) -> Scope:
    """The widest place the person may export: region, else municipality, else school."""
    if is_admin(ident):
        return Scope()
    widest_first = {Role.REGIONAL: 0, Role.MUNICIPAL: 1, Role.CURATOR: 2}
    staff = [g for g in ident.grants if g.role in widest_first]
    for grant in sorted(staff, key=lambda g: widest_first[g.role]):
        if grant.role == Role.REGIONAL and grant.region_id is not None:
            scope = Scope(region_id=grant.region_id)
        elif grant.role == Role.MUNICIPAL and grant.municipality_id is not None:
            scope = await municipality_scope(session, grant.municipality_id)
        elif grant.role == Role.CURATOR and grant.school_id is not None:
            scope = await school_scope(session, grant.school_id)
        else:
            continue
        authorize(ident, Action.EXPORT, scope)
        return scope
    authorize(ident, Action.EXPORT, Scope())  # refuses, and logs it
    return Scope()


def _rows(scope: Scope, school_year: int) -> Select[*tuple[Any, ...]]:
    query = (
        select(
            Registration.id,
            Subject.name_ru,
            OlympiadEvent.level,
            OlympiadEvent.held_on,
            Municipality.name,
            School.name,
            Registration.grade,
            User.full_name,
            Registration.state,
            Registration.score,
            OlympiadEvent.max_score,
            Registration.placement,
            Subject.sort_order,
            Consent.id.is_not(None),
            OlympiadEvent.grade_dates,
        )  # fmt: skip
        .join(OlympiadEvent, Registration.event_id == OlympiadEvent.id)
        .outerjoin(
            Consent,
            and_(
                Consent.student_id == Registration.student_id,
                Consent.school_year == OlympiadEvent.school_year,
                Consent.withdrawn_at.is_(None),
            ),
        )  # fmt: skip
        .join(Subject, OlympiadEvent.subject_id == Subject.id)
        .join(User, Registration.student_id == User.id)
        .join(School, User.school_id == School.id)
        .join(Municipality, School.municipality_id == Municipality.id)
        .where(OlympiadEvent.school_year == school_year)
    )
    if scope.school_id is not None:
        return query.where(School.id == scope.school_id)
    if scope.municipality_id is not None:
        return query.where(School.municipality_id == scope.municipality_id)
    if scope.region_id is not None:
        return query.where(Municipality.region_id == scope.region_id)
    return query


async def count_rows(session: AsyncSession, scope: Scope, school_year: int) -> int:
    inner = _rows(scope, school_year).subquery()
    return int(await session.scalar(select(func.count()).select_from(inner)) or 0)


async def chunks(
    session: AsyncSession, scope: Scope, school_year: int, size: int = CHUNK
) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The rows in id order, `size` at a time (keyset paging: no OFFSET rescans)."""
    after = 0
    while True:
        query = _rows(scope, school_year).where(Registration.id > after)
        found = (await session.execute(query.order_by(Registration.id).limit(size))).all()
        if not found:
            return
        yield [_dated(tuple(row)) for row in found]
        after = found[-1][0]


def _dated(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The row without its grade dates, the date being the one of the registration's grade
    (a subject may sit on different days per grade band)."""
    *cells, grade_dates = row
    held_on, grade = cells[3], cells[6]
    cells[3] = OlympiadEvent(held_on=held_on, grade_dates=grade_dates).date_for_grade(grade)
    return tuple(cells)


def _cells(row: Sequence[Any], with_subject: bool) -> list[CellValue]:
    (_, subject, level, held_on, municipality, school, grade, name, state, score, max_score,
     placement, _order, consent) = row  # fmt: skip
    cells: list[CellValue] = [
        LEVELS.get(level, str(level)), held_on, municipality, school, grade, name,
        STATES.get(state, str(state)), score, max_score, PLACEMENTS.get(placement, ""),
        "да" if consent else "нет",
    ]  # fmt: skip
    return [subject, *cells] if with_subject else cells


def build_export(rows: Sequence[Sequence[Any]], layout: Layout) -> bytes:
    """The workbook; CPU-bound, so the handler runs it in a worker thread."""
    ordered = sorted(rows, key=lambda r: (r[12], r[1], r[2], r[7], r[0]))
    if layout == Layout.FLAT:
        return build_workbook([Sheet("Участники", HEADERS, [_cells(r, True) for r in ordered])])
    sheets: dict[str, list[list[CellValue]]] = {}
    for row in ordered:
        sheets.setdefault(row[1], []).append(_cells(row, False))
    return build_workbook([Sheet(title, HEADERS[1:], cells) for title, cells in sheets.items()])


async def record_export(
    session: AsyncSession, ident: Identity, scope: Scope, rows: int, layout: Layout, now: datetime
) -> None:
    await audit.record(
        session, ident, "export", scope, f"registrations:{layout}", now, after={"rows": rows}
    )
