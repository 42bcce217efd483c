"""The first sheet of an .xlsx workbook, read streaming and without evaluating any formula."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Iterator

from openpyxl import Workbook, load_workbook

from services.errors import Refused
from services.tabular.table import DAMAGED, UNPACKS_TOO_LARGE, WRONG_TYPE, RawRow, too_many_rows

log = logging.getLogger(__name__)

_ZIP_MAGIC = b"PK\x03\x04"
# A list needs a handful of columns; the cap keeps a sheet with a stray far-right cell cheap.
_MAX_COLUMNS = 64
# Compressed XML can unpack a hundredfold; a real list of 20 000 rows stays far below this.
_MAX_UNPACKED = 200_000_000
# A cell's formula element, with or without a namespace prefix (<f>, <x:f t="shared" …/>).
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def read_xlsx_rows(content: bytes, *, max_rows: int, name: str = ".xlsx") -> list[RawRow]:
    if not content.startswith(_ZIP_MAGIC):
        raise Refused(WRONG_TYPE, name=name, expected=".xlsx")
    _check_archive(content, name)
    try:
        return _rows(content, max_rows)
    except Refused:
        raise
    except Exception as exc:  # openpyxl reports a broken workbook with many exception types
        log.info("unreadable workbook", extra={"problem": repr(exc)[:200]})
        raise Refused(DAMAGED, problem=type(exc).__name__) from exc


def _check_archive(content: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise Refused(DAMAGED, problem="zip") from exc
    if unpacked > _MAX_UNPACKED:
        raise Refused(
            UNPACKS_TOO_LARGE,
            unpacked_mb=f"{unpacked / 1_000_000:.0f}",
            limit_mb=f"{_MAX_UNPACKED / 1_000_000:g}",
        )
    if "xl/workbook.xml" not in names:
        # A zip that is not a workbook: a .docx, an .ods or an archive renamed to .xlsx.
        raise Refused(WRONG_TYPE, name=name, expected=".xlsx")


def _rows(content: bytes, max_rows: int) -> list[RawRow]:
    rows = _read(content, max_rows)
    if _has_formulas(content):
        _fill_formulas(content, rows)
    return rows


def _read(content: bytes, max_rows: int) -> list[RawRow]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows: list[RawRow] = []
        for number, values in enumerate(_cells(workbook), start=1):
            texts = [_text(value) for value in values]
            if not any(texts):
                continue
            if len(rows) > max_rows:
                raise too_many_rows(max_rows)
            rows.append(RawRow(number=number, cells=texts))
        return rows
    finally:
        workbook.close()


def _has_formulas(content: bytes) -> bool:
    """Whether any sheet holds a formula: only then is a second, slower reading worth it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as part:
                    tail = b""
                    while chunk := part.read(1 << 20):
                        if _FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    return False


def _fill_formulas(content: bytes, rows: list[RawRow]) -> None:
    """A formula nobody calculated (files made by programs) has no value: show its text, so
    that the report names what is in the cell instead of calling it empty."""
    by_number = {row.number: row for row in rows}
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        for number, values in enumerate(_cells(workbook), start=1):
            row = by_number.get(number)
            if row is None:
                continue
            for index, value in enumerate(values[: len(row.cells)]):
                if not row.cells[index] and isinstance(value, str) and value.startswith("="):
                    row.cells[index] = value
    finally:
        workbook.close()


def _cells(workbook: Workbook) -> Iterator[tuple[object, ...]]:
    sheet = workbook.worksheets[0]
    # The stored dimension is often wrong in files made by other programs.
    sheet.reset_dimensions()
    cells: Iterator[tuple[object, ...]] = sheet.iter_rows(
        min_row=1, max_col=_MAX_COLUMNS, values_only=True
    )
    return cells


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a grade typed as 9 comes back as 9.0
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()  # a date typed into a cell is read as midnight
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
