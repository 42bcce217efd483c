"""A coordinator's table of card-completeness figures: every row checked first, and nothing is
saved unless every row is right (a half-imported table would look complete and be wrong)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.geo import Municipality, School
from services.audit import record as audit
from services.collections.access import coordinator_scope
from services.completeness.bands import parse_percent
from services.completeness.store import save
from services.errors import Refused
from services.people.identity import Identity
from services.tabular.table import ColumnSpec, Row, read_table
from services.tabular.xlsx_export import Sheet, build_workbook

COLUMNS = [
    ColumnSpec("code", ("Код ОО", "Код организации", "Code")),
    ColumnSpec("municipality", ("Муниципалитет", "Municipality"), required=False),
    ColumnSpec("percent", ("Процент заполнения", "Процент", "Percent")),
]
MAX_ROWS = 5_000


@dataclass(frozen=True)
class TableOutcome:
    saved: int
    errors: list[Refused]  # each with its `row`; any error means nothing was saved


async def _schools(session: AsyncSession, ident: Identity) -> dict[str, list[tuple[int, str]]]:
    """School code (case-folded) → (id, municipality code) of every school in the scope."""
    scope = await coordinator_scope(session, ident)
    query = select(School.code, School.id, Municipality.code).join(
        Municipality, School.municipality_id == Municipality.id
    )
    if scope.municipality_id is not None:
        query = query.where(Municipality.id == scope.municipality_id)
    else:
        query = query.where(Municipality.region_id == scope.region_id)
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for code, school_id, municipality in await session.execute(query):
        found[code.casefold()].append((school_id, municipality))
    return found


def _school_of(row: Row, schools: dict[str, list[tuple[int, str]]]) -> int:
    code = row.values["code"]
    wanted = row.values.get("municipality", "").casefold()
    matches = [
        (s, m) for s, m in schools.get(code.casefold(), []) if not wanted or m.casefold() == wanted
    ]
    if not matches:
        raise Refused("cmp_row_unknown_school", row=row.number, code=code[:40])
    if len(matches) > 1:
        raise Refused("cmp_row_ambiguous_school", row=row.number, code=code[:40])
    return matches[0][0]


def _row_value(row: Row, schools: dict[str, list[tuple[int, str]]]) -> tuple[int, int]:
    if row.problem is not None:
        raise row.problem
    school_id = _school_of(row, schools)
    try:
        tenths = parse_percent(row.values["percent"])
    except Refused as refusal:
        raise Refused("cmp_row_bad_percent", row=row.number, **refusal.details) from None
    return school_id, tenths


async def import_table(
    session: AsyncSession, ident: Identity, filename: str, content: bytes, now: dt.datetime
) -> TableOutcome:
    schools = await _schools(session, ident)
    table = read_table(filename, content, COLUMNS, max_rows=MAX_ROWS)
    values: dict[int, int] = {}
    errors: list[Refused] = []
    for row in table.rows:
        try:
            school_id, tenths = _row_value(row, schools)
        except Refused as refusal:
            errors.append(refusal)
            continue
        if school_id in values:
            errors.append(Refused("cmp_row_repeated", row=row.number, code=row.values["code"]))
        values[school_id] = tenths
    if errors:
        return TableOutcome(0, errors)
    await save(session, values, "table", ident, now)
    scope = await coordinator_scope(session, ident)
    await audit.record(session, ident, "completeness_upload", scope, filename[:200], now,
                       after={"rows": len(values)})  # fmt: skip
    return TableOutcome(len(values), [])


def blank_table() -> bytes:
    headers = [spec.headers[0] for spec in COLUMNS]
    return build_workbook([Sheet("Заполненность", headers, [["0001", "", "92,5"]])])
