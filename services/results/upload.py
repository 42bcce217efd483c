"""Results from a file: one row per participant, and a report file with each row's outcome.

Columns (Russian or English headers, any case): «Фамилия», «Имя», «Отчество» (optional),
«Класс», «Балл», «Статус» (optional: победитель / призёр / участник; only the organiser's
file sets it). A problem with the file as a whole refuses it before anything is saved; a
problem with one row is reported for that row and the other rows are saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import Refused
from services.people.identity import Identity
from services.people.names import tidy_name
from services.results.entry import Entry, Outcome, apply_entries
from services.results.match import GivenName
from services.rules.scores import format_score
from services.tabular.table import ColumnSpec, Row, read_table
from services.tabular.xlsx_export import CellValue, Sheet, build_csv_report, build_workbook

MAX_ROWS = 5000  # a regional stage of one subject stays well below
FORMATS = ("xlsx", "csv")
NAME_COLUMNS = [
    ColumnSpec("surname", ("Фамилия", "Surname", "Last name")),
    ColumnSpec("name", ("Имя", "Name", "First name")),
    ColumnSpec("patronymic", ("Отчество", "Patronymic", "Middle name"), required=False),
    ColumnSpec("grade", ("Класс", "Grade")),
]
RESULT_COLUMNS = [
    *NAME_COLUMNS,
    ColumnSpec("score", ("Балл", "Баллы", "Score")),
    ColumnSpec("placement", ("Статус", "Статус участника", "Placement"), required=False),
]
TEMPLATE_HEADERS = [spec.headers[0] for spec in RESULT_COLUMNS]
_MIN_GRADE, _MAX_GRADE = 1, 11


@dataclass(frozen=True)
class Report:
    filename: str
    content: bytes


def grade_of(text: str) -> int:
    """ "9", "9 класс", "9А" → 9."""
    digits = "".join(ch for ch in text.strip()[:3] if ch.isdigit())
    if not digits or not _MIN_GRADE <= int(digits) <= _MAX_GRADE:
        raise Refused("res_bad_row_grade", value=text.strip()[:20])
    return int(digits)


def given_name(row: Row) -> GivenName:
    surname, name = tidy_name(row.values["surname"]), tidy_name(row.values["name"])
    if not surname or not name:
        raise Refused("res_name_too_short", name=f"{surname} {name}".strip())
    return GivenName(surname, name, tidy_name(row.values.get("patronymic", "")))


def entries_of(rows: Sequence[Row]) -> list[Entry]:
    entries = []
    for row in rows:
        try:
            if row.problem is not None:  # cells past the header: the row is shifted
                raise row.problem
            name, grade = given_name(row), grade_of(row.values["grade"])
        except Refused as problem:
            entries.append(Entry(row.number, None, problem=problem))
            continue
        values = row.values
        entries.append(Entry(row.number, name, values["score"], grade, values["placement"]))
    return entries


async def upload_results(
    session: AsyncSession,
    ident: Identity,
    event_id: int,
    file: tuple[str, bytes],
    now: datetime,
) -> list[Outcome]:
    """Reads the file (refusing a bad one as a whole) and saves the rows that are right."""
    filename, content = file
    table = read_table(filename, content, RESULT_COLUMNS, max_rows=MAX_ROWS, formats=FORMATS)
    return await apply_entries(
        session, ident, event_id, entries_of(table.rows), now=now, source="file"
    )


def blank_file() -> bytes:
    """The results file to fill in: just the header row."""
    return build_workbook([Sheet(title="Результаты", headers=TEMPLATE_HEADERS, rows=[])])


def report_file(
    source_name: str,
    outcomes: Sequence[Outcome],
    headers: Sequence[str],
    describe: Callable[[Outcome], str],
) -> Report:
    """The per-row report in the uploaded format: row, name, score, what happened."""
    rows: list[list[CellValue]] = [
        [o.number, o.name, format_score(o.score), describe(o)] for o in outcomes
    ]
    stem = source_name.rsplit(".", 1)[0] or "results"
    if source_name.casefold().endswith(".csv"):
        return Report(f"{stem}-report.csv", build_csv_report(headers, rows))
    sheet = Sheet(title=headers[-1], headers=headers, rows=rows)
    return Report(f"{stem}-report.xlsx", build_workbook([sheet]))
