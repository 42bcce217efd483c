"""The collection's report: one row per organisation, times in Moscow time (the collection's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from calendars.schema import MOSCOW_TZ
from models.collections import OrgState
from services.collections.monitor import OrgLine
from services.tabular.xlsx_export import CellValue, Sheet, build_workbook

MOSCOW = ZoneInfo(MOSCOW_TZ)


def _moscow(value: dt.datetime | None) -> CellValue:
    return None if value is None else value.astimezone(MOSCOW).replace(tzinfo=None)


def build_report(
    title: str,
    lines: Sequence[OrgLine],
    headers: Sequence[str],
    state_names: Mapping[OrgState, str],
) -> bytes:
    """An .xlsx workbook (openpyxl is loaded here, at the first report, not at start)."""
    rows = [
        [
            line.code,
            line.name,
            line.municipality,
            state_names[line.state],
            _moscow(line.started_at),
            _moscow(line.submitted_at),
        ]  # fmt: skip
        for line in lines
    ]
    return build_workbook([Sheet(title, headers, rows)])
