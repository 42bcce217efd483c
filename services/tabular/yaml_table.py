"""A YAML list of mappings, for callers that accept reference-style files."""

from __future__ import annotations

import datetime as dt

import yaml

from services.errors import Refused
from services.tabular.csv_table import decode
from services.tabular.table import (
    DAMAGED,
    EMPTY,
    NO_ROWS,
    ColumnSpec,
    Row,
    Table,
    match_headers,
    too_many_rows,
)


def read_yaml(content: bytes, columns: list[ColumnSpec], *, max_rows: int) -> Table:
    text = decode(content, ".yaml")
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise Refused(DAMAGED, problem=str(exc).splitlines()[0][:100]) from exc
    if data is None:
        raise Refused(EMPTY)
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        raise Refused(DAMAGED, problem="not a list")
    if not data:
        raise Refused(NO_ROWS)
    if len(data) > max_rows:
        raise too_many_rows(max_rows)
    for item, item_node in zip(data, node.value, strict=True):
        if not isinstance(item, dict):
            raise Refused(DAMAGED, problem=f"line {item_node.start_mark.line + 1}")
    keys = {str(k) for item in data for k in item}
    positions, found = match_headers(sorted(keys), columns)
    by_index = sorted(keys)
    rows = []
    for item, item_node in zip(data, node.value, strict=True):
        named = {str(k): v for k, v in item.items()}
        values = {}
        for spec in columns:
            index = positions.get(spec.key)
            values[spec.key] = _text(named.get(by_index[index])) if index is not None else ""
        rows.append(Row(number=item_node.start_mark.line + 1, values=values))
    return Table(format="yaml", rows=rows, headers=found)


def _text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_scalar(item) for item in value)
    return _scalar(value)


def _scalar(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date | int | float | str):
        return value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    raise Refused(DAMAGED, problem="nested value")
