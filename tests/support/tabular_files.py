"""Class-list files for the table reader: the expected columns and an .xlsx builder."""

from __future__ import annotations

import io

from openpyxl import Workbook

from services.tabular.table import ColumnSpec

COLUMNS = [
    ColumnSpec("surname", ("Фамилия", "Surname")),
    ColumnSpec("name", ("Имя", "Name", "First name")),
    ColumnSpec("patronymic", ("Отчество", "Patronymic"), required=False),
    ColumnSpec("grade", ("Класс", "Grade")),
]


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
