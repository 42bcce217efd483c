"""Pydantic's validation errors retold for the person editing the file: where, then what."""

from __future__ import annotations

import difflib
import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from calendars.schema import MonthDay
from calendars.yaml_source import YamlDocument

MAX_PROBLEMS = 50
MAX_SHOWN = 60
QUOTE = '"'
_CONTAINER_TYPES = {
    "model_type": "a mapping of keys",
    "dict_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "list_type": 'a list (lines starting with "- ")',
    "tuple_type": 'a list (lines starting with "- ")',
}
_NO_INPUT = {"value_error", "assertion_error", "too_short", "too_long", "string_too_long"}


def validation_problems(
    doc: YamlDocument, model: type[BaseModel], exc: ValidationError
) -> list[str]:
    found: list[tuple[int, str]] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        line = doc.line_of(loc)
        names_key = error["type"] in ("extra_forbidden", "missing") and bool(loc)
        where = _where(loc[:-1] if names_key else loc, doc.data)
        place = f"{doc.name}, line {line}" if line else doc.name
        found.append((line or 0, f"{place}: {where}{_problem(error, model, loc)}"))
    found.sort(key=lambda item: item[0])
    problems = [text for _, text in found[:MAX_PROBLEMS]]
    if len(found) > MAX_PROBLEMS:
        problems.append(f"{doc.name}: … and {len(found) - MAX_PROBLEMS} more problems")
    return problems


def top_level_problem(doc: YamlDocument, model: type[BaseModel]) -> str | None:
    if isinstance(doc.data, dict):
        return None
    keys = ", ".join(f"{name}:" for name in model.model_fields)
    return f"{doc.name}: expected keys at the top of the file ({keys}), found {_show(doc.data)}"


def _where(loc: Sequence[int | str], data: object) -> str:
    """`row 3 (code "math"): grades.school: ` for a path through the file's data."""
    parts: list[str] = []
    keys: list[str] = []
    node: Any = data
    for step in loc:
        if step == "[key]" and keys:
            key = keys.pop()
            parts.extend([".".join(keys)] if keys else [])
            parts.append(f'key "{key.strip(QUOTE)}"')
            keys = []
            continue
        if isinstance(step, int) and isinstance(node, list):
            node = node[step] if 0 <= step < len(node) else None
            # The file's main list needs no name: "row 3" says it.
            label = "" if not parts and len(keys) == 1 else ".".join(keys) + " "
            parts.append(f"{label}row {step + 1}{_row_name(node)}")
            keys = []
            continue
        keys.append(step if isinstance(step, str) and step.isidentifier() else f'"{step}"')
        node = node.get(step) if isinstance(node, dict) else None
    parts.extend([".".join(keys)] if keys else [])
    return "".join(f"{part}: " for part in parts)


def _row_name(item: object) -> str:
    if isinstance(item, dict):
        for key in ("code", "subject"):
            if isinstance(item.get(key), str | int):
                return f' ({key} "{item[key]}")'
    return ""


def _problem(error: ErrorDetails, model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f'unknown key "{loc[-1]}"{_key_hint(str(loc[-1]), model, loc[:-1])}'
    if kind == "missing":
        return f'missing key "{loc[-1]}"' if loc else "missing data"
    if kind == "model_type" and _model_at(model, loc) is MonthDay:
        return f'expected a day of the year as "MM-DD", found {_show(error["input"])}'
    if kind in _CONTAINER_TYPES:
        return f"expected {_CONTAINER_TYPES[kind]}, found {_show(error['input'])}"
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    value = error["input"]
    if kind in _NO_INPUT and not (
        isinstance(value, str | int | float) and str(value) not in message
    ):
        return message
    return f"{message} (got {_show(value)})"


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    shown = repr(value)
    return shown if len(shown) <= MAX_SHOWN else shown[: MAX_SHOWN - 1] + "…"


def _key_hint(key: str, model: type[BaseModel], loc: Sequence[int | str]) -> str:
    target = _model_at(model, loc)
    if target is None:
        return ""
    allowed = list(target.model_fields)
    near = difflib.get_close_matches(key, allowed, n=1)
    if near:
        return f' (did you mean "{near[0]}"?)'
    return f" (allowed: {', '.join(allowed)})"


def _model_at(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model that validates the value at `loc`, if it is a model."""
    current: Any = model
    for step in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(step))
            current = field.annotation if field else None
        elif get_origin(current) in (list, tuple) and isinstance(step, int):
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation
