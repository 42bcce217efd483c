"""Spreadsheets the bot hands out: .xlsx workbooks and ;-separated CSV reports.

Cells that a spreadsheet would take for a formula (text starting with = + - @, a tab or a CR)
are written as plain text: a name like `=HYPERLINK(...)` typed by a user must never run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_TITLE = 31
MAX_CELL_TEXT = 32_767
_BAD_TITLE_CHARS = re.compile(r"[\[\]:*?/\\]")
_MIN_WIDTH, _MAX_WIDTH = 8, 60
# The control characters a worksheet cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_ILLEGAL_CHARS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

CellValue = str | int | float | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[CellValue]]


def build_workbook(sheets: list[Sheet]) -> bytes:
    # openpyxl (with numpy) takes a second to import: the bot pays for it at the first export,
    # not at every start.
    from openpyxl import Workbook

    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    titles: list[str] = []
    for sheet in sheets:
        title = sheet_title(sheet.title, titles)
        titles.append(title)
        _fill(workbook.create_sheet(title), sheet)
    if not sheets:
        workbook.create_sheet("Лист1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(ws: Worksheet, sheet: Sheet) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    widths = [len(str(h)) for h in sheet.headers]
    bold = Font(bold=True)
    for col, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(row=1, column=col)
        _put(cell, header)
        cell.font = bold
    for row_index, row in enumerate(sheet.rows, start=2):
        for col, value in enumerate(row, start=1):
            _put(ws.cell(row=row_index, column=col), value)
            if col > len(widths):
                widths.append(0)
            widths[col - 1] = max(widths[col - 1], _display_length(value))
    ws.freeze_panes = "A2"
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = _clamp(width + 2)


def _put(cell: Cell, value: CellValue) -> None:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no zones; callers pass local time
    if not isinstance(value, str):
        cell.value = value
        return
    text = _ILLEGAL_CHARS.sub("", value)[:MAX_CELL_TEXT]
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl took it for a formula on assignment
        cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


def _display_length(value: CellValue) -> int:
    if value is None:
        return 0
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _clamp(width: int) -> int:
    return max(_MIN_WIDTH, min(_MAX_WIDTH, width))


def sheet_title(title: str, taken: Sequence[str] = ()) -> str:
    """A title Excel accepts: no []:*?/\\, no edge apostrophes, ≤ 31 characters, unique."""
    clean = " ".join(_BAD_TITLE_CHARS.sub(" ", title).split()).strip("'").strip()
    clean = clean[:MAX_TITLE].strip()
    clean = clean or "Лист"
    used = {t.casefold() for t in taken}
    candidate, counter = clean, 1
    while candidate.casefold() in used:
        counter += 1
        suffix = f" ({counter})"
        candidate = clean[: MAX_TITLE - len(suffix)].rstrip() + suffix
    return candidate


def build_csv_report(headers: Sequence[str], rows: Sequence[Sequence[CellValue]]) -> bytes:
    """UTF-8 with BOM and `;`, as Excel in a Russian locale opens it with a double click.

    CSV carries no cell types, so text a spreadsheet would evaluate gets a leading apostrophe,
    the usual defence that Excel and LibreOffice show as plain text.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_text(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value
