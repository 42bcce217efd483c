"""The schedule file of a stage: its columns, per-grade date columns, and the blank template.

Columns (Russian or English headers, any case): «Предмет» (name or code), «Дата», «Классы»
("5-11", "9"), «Место/формат», «Проходной балл», «Максимальный балл», and the per-grade dates
either as columns named like «Дата 5-6 классы» / "Date grades 9-11" or as one column «Даты по
классам» holding "5-6: 01.10.2026; 7-11: 02.10.2026". A YAML file is a list of mappings with
the keys subject, date, grades, place, passing_score, max_score, grade_dates (the text form).
"""

from __future__ import annotations

from services.reference.reference_data import ReferenceData
from services.stage.values import band_of_header, grade_label
from services.tabular.table import ColumnSpec, RawRow, Table, assemble, read_table
from services.tabular.xlsx_export import Sheet, build_workbook

FORMATS = ("xlsx", "csv", "yaml")
MAX_ROWS = 500  # 24 subjects fit many times over; a larger file is not a schedule
BAND_PREFIX = "band:"

COLUMNS = [
    ColumnSpec("subject", ("Предмет", "Subject", "Код предмета", "Subject code")),
    ColumnSpec("date", ("Дата", "Дата проведения", "Date"), required=False),
    ColumnSpec("grades", ("Классы", "Grades"), required=False),
    ColumnSpec(
        "place",
        ("Место/формат", "Место", "Формат", "Место проведения", "Place/format", "Place"),
        required=False,
    ),
    ColumnSpec("passing_score", ("Проходной балл", "Passing score"), required=False),
    ColumnSpec("max_score", ("Максимальный балл", "Макс. балл", "Max score"), required=False),
    ColumnSpec("grade_dates", ("Даты по классам", "Grade dates"), required=False),
]
TEMPLATE_HEADERS = [spec.headers[0] for spec in COLUMNS]


def read_schedule(filename: str, content: bytes) -> Table:
    """The rows of a schedule file, or a `Refused` for the file as a whole."""
    table = read_table(filename, content, COLUMNS, max_rows=MAX_ROWS, formats=FORMATS)
    if table.format == "yaml":
        return table
    # Per-grade date columns are named by the coordinator; the header row tells which exist.
    raw = _raw_rows(table.format, content)
    bands = [
        ColumnSpec(f"{BAND_PREFIX}{band[0]}-{band[1]}", (cell,), required=False)
        for cell in raw[0].cells
        if (band := band_of_header(cell)) is not None
    ]
    return assemble(table.format, raw, COLUMNS + bands) if bands else table


def _raw_rows(kind: str, content: bytes) -> list[RawRow]:
    if kind == "xlsx":
        from services.tabular.xlsx_table import read_xlsx_rows

        return read_xlsx_rows(content, max_rows=MAX_ROWS)
    from services.tabular.csv_table import read_csv_rows

    return read_csv_rows(content, max_rows=MAX_ROWS)


def band_values(values: dict[str, str]) -> list[tuple[tuple[int, int], str]]:
    """The non-empty per-grade date cells of a row: ((low, high), text)."""
    found = []
    for key, text in values.items():
        if key.startswith(BAND_PREFIX) and text:
            low, high = key[len(BAND_PREFIX) :].split("-")
            found.append(((int(low), int(high)), text))
    return found


def template_workbook(ref: ReferenceData, level_code: str) -> bytes:
    """A schedule to fill in: every subject with the grades its level admits by default."""
    level = next(row for row in ref.levels if row.code == level_code)
    rows = []
    for subject in sorted(ref.subjects, key=lambda s: s.sort_order):
        grades = ref.grades_for(subject.code, level.code)
        label = grade_label(grades.grade_min, grades.grade_max)
        rows.append([subject.name_ru, None, label, None, None, None, None])
    return build_workbook(
        [Sheet(title=f"Этап {level.name_ru}", headers=TEMPLATE_HEADERS, rows=rows)]
    )
