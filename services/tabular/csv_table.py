"""CSV as spreadsheets save it in Russia: UTF-8 (BOM or not) or Windows-1251, `;` or `,`."""

from __future__ import annotations

import csv
import io
import re

from services.errors import Refused
from services.tabular.table import BAD_ENCODING, DAMAGED, WRONG_TYPE, RawRow, too_many_rows

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SEPARATORS = (";", ",", "\t")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{3,}")
_LOWER_THEN_UPPER = re.compile(r"[а-яё][А-ЯЁ]")
# Share of Cyrillic words with a capital after a small letter above which a cp1251 reading is
# taken for garbage: KOI8-R read as cp1251 swaps the cases ("Фамилия" → "жБНЙМЙС").
_GARBLED_SHARE = 0.3


def read_csv_rows(content: bytes, *, max_rows: int, name: str = ".csv") -> list[RawRow]:
    text = decode(content, name)
    separator = sniff_separator(text)
    rows: list[RawRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) > max_rows:
                raise too_many_rows(max_rows)
            # The reader's line count is the spreadsheet row the person sees for this record,
            # except when a quoted cell spans lines; then it is where the record ends.
            rows.append(RawRow(number=reader.line_num, cells=cells))
    except csv.Error as exc:
        raise Refused(DAMAGED, problem=str(exc)[:100]) from exc
    return rows


def decode(content: bytes, name: str = ".csv") -> str:
    """UTF-8 when it decodes strictly, else Windows-1251 when that reads as text, else refuse."""
    if content.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise Refused(WRONG_TYPE, name=name, expected=".csv")
    if content.startswith(_UTF16_BOMS):
        raise Refused(BAD_ENCODING)
    if b"\x00" in content:
        raise Refused(WRONG_TYPE, name=name, expected=".csv")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_cp1251(content)
    if _CONTROL.search(text):
        raise Refused(WRONG_TYPE, name=name, expected=".csv")
    return text


def _decode_cp1251(content: bytes) -> str:
    try:
        text = content.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise Refused(BAD_ENCODING) from exc
    words = _CYRILLIC_WORD.findall(text)
    garbled = sum(1 for word in words if _LOWER_THEN_UPPER.search(word))
    if words and garbled / len(words) > _GARBLED_SHARE:
        raise Refused(BAD_ENCODING)
    return text


def sniff_separator(text: str) -> str:
    """The separator used most in the header line, counting only outside quotes."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {sep: outside.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ";"
