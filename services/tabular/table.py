"""Reading uploaded tables (.xlsx, .csv, optionally .yaml) into rows keyed by column.

Every problem with the file itself is a `Refused` with a stable code, raised before the caller
touches the database, so a refused file changes nothing. Problems inside one row are the
caller's to report per row.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from services.errors import Refused

MAX_ROWS = 20_000
MAX_BYTES = 5_000_000
DEFAULT_FORMATS = ("xlsx", "csv")
_EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}
_IGNORED_IN_HEADERS = re.compile(r"[\s_*:.]+")

# Stable refusal codes; their texts are registered by the handler layer.
WRONG_TYPE = "file_wrong_type"
EMPTY = "file_empty"
TOO_LARGE = "file_too_large"
# A small archive whose sheet unpacks to more than we read: the size on disk is not the issue.
UNPACKS_TOO_LARGE = "file_unpacks_too_large"
TOO_MANY_ROWS = "file_too_many_rows"
BAD_ENCODING = "file_bad_encoding"
DAMAGED = "file_damaged"
MISSING_COLUMNS = "file_missing_columns"
DUPLICATE_COLUMNS = "file_duplicate_columns"
NO_ROWS = "file_no_rows"
# Of one row, not of the file: reported for that row by the caller (see `Row.problem`).
ROW_EXTRA_CELLS = "row_extra_cells"
REFUSAL_CODES = (
    WRONG_TYPE,
    EMPTY,
    TOO_LARGE,
    UNPACKS_TOO_LARGE,
    TOO_MANY_ROWS,
    BAD_ENCODING,
    DAMAGED,
    MISSING_COLUMNS,
    DUPLICATE_COLUMNS,
    NO_ROWS,
    ROW_EXTRA_CELLS,
)


@dataclass(frozen=True)
class ColumnSpec:
    """A column the caller wants: `headers` are the accepted spellings (Russian first)."""

    key: str
    headers: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class Row:
    number: int  # as the person sees it: the spreadsheet row, the CSV line, the YAML line
    values: dict[str, str]
    # Non-empty cells beyond the header's last column (say, subjects split by the separator by
    # mistake): never dropped silently, they make the row invalid.
    extra: tuple[str, ...] = ()

    @property
    def problem(self) -> Refused | None:
        """Why the row cannot be taken as it is, whatever the caller's columns."""
        if self.extra:
            return Refused(ROW_EXTRA_CELLS, row=self.number, extra=_quoted(self.extra))
        return None


@dataclass(frozen=True)
class Table:
    format: str
    rows: list[Row]
    # The header text found in the file for each column present (for reports and messages).
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RawRow:
    """A row as a format reader produces it: cells in file order, not yet matched to columns."""

    number: int
    cells: list[str]


def normalize_header(text: str) -> str:
    """Case, spaces, underscores, a trailing colon or asterisk and ё/е do not matter."""
    return _IGNORED_IN_HEADERS.sub("", text.casefold().replace("ё", "е"))


def file_format(filename: str, formats: Collection[str]) -> str:
    suffix = PurePath(filename or "").suffix.casefold()
    kind = _EXTENSIONS.get(suffix)
    if kind is None or kind not in formats:
        raise Refused(WRONG_TYPE, name=filename or "?", expected=expected_list(formats))
    return kind


def expected_list(formats: Collection[str]) -> str:
    return ", ".join(f".{f}" for f in sorted(formats))


def read_table(
    filename: str,
    content: bytes,
    columns: list[ColumnSpec],
    *,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
    formats: Collection[str] = DEFAULT_FORMATS,
) -> Table:
    """Reads the file or refuses; `formats` names the kinds this caller accepts."""
    kind = file_format(filename, formats)
    if len(content) > max_bytes:
        raise Refused(TOO_LARGE, limit_mb=_megabytes(max_bytes))
    if not content.strip():
        raise Refused(EMPTY)
    if kind == "yaml":
        from services.tabular.yaml_table import read_yaml

        return read_yaml(content, columns, max_rows=max_rows)
    if kind == "xlsx":
        from services.tabular.xlsx_table import read_xlsx_rows

        raw = read_xlsx_rows(content, max_rows=max_rows, name=filename)
    else:
        from services.tabular.csv_table import read_csv_rows

        raw = read_csv_rows(content, max_rows=max_rows, name=filename)
    return assemble(kind, raw, columns)


def assemble(kind: str, raw: Sequence[RawRow], columns: list[ColumnSpec]) -> Table:
    """First row is the header; later rows become keyed values (blank rows are skipped)."""
    if not raw:
        raise Refused(EMPTY)
    header, *body = raw
    positions, found = match_headers(header.cells, columns)
    width = _width(header.cells)
    rows: list[Row] = []
    for item in body:
        values = {spec.key: _cell(item.cells, positions.get(spec.key)) for spec in columns}
        extra = tuple(cell.strip() for cell in item.cells[width:] if cell.strip())
        rows.append(Row(number=item.number, values=values, extra=extra))
    if not rows:
        raise Refused(NO_ROWS)
    return Table(format=kind, rows=rows, headers=found)


def match_headers(
    cells: Iterable[str], columns: list[ColumnSpec]
) -> tuple[dict[str, int], dict[str, str]]:
    """Maps each column key to its position in the header row, or refuses."""
    wanted = {normalize_header(h): spec.key for spec in columns for h in spec.headers}
    positions: dict[str, int] = {}
    found: dict[str, str] = {}
    for index, cell in enumerate(cells):
        key = wanted.get(normalize_header(cell))
        if key is None:
            continue
        if key in positions:
            raise Refused(DUPLICATE_COLUMNS, column=_quoted([found[key]]))
        positions[key] = index
        found[key] = cell.strip()
    missing = [spec.headers[0] for spec in columns if spec.required and spec.key not in positions]
    if missing:
        raise Refused(MISSING_COLUMNS, columns=_quoted(missing))
    return positions, found


def _width(header: list[str]) -> int:
    """Columns the header names: up to its last non-empty cell (trailing empties don't count)."""
    named = [index for index, cell in enumerate(header) if cell.strip()]
    return named[-1] + 1 if named else 0


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"«{name}»" for name in names)


def _megabytes(limit: int) -> str:
    return f"{limit / 1_000_000:g}"


def too_many_rows(max_rows: int) -> Refused:
    return Refused(TOO_MANY_ROWS, limit=max_rows)
