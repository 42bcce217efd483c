"""Reading a data file into its model, every problem as one line naming the file and line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from calendars.errors import ReferenceDataError
from calendars.messages import top_level_problem, validation_problems
from calendars.schema import Calendar
from calendars.yaml_source import read_yaml_file

M = TypeVar("M", bound=BaseModel)


def load_yaml_file(path: Path, model: type[M]) -> M:
    """The file validated as `model`, or ReferenceDataError listing all its problems."""
    doc = read_yaml_file(path)
    problem = top_level_problem(doc, model)
    if problem:
        raise ReferenceDataError([problem])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise ReferenceDataError(validation_problems(doc, model, exc)) from None


def load_calendar(
    path: Path, tracks: Sequence[str] = (), step: str | None = None, name: str | None = None
) -> Calendar:
    """A calendar file; `tracks` it must have, each with the `step` when one is named."""
    found = load_yaml_file(path, Calendar)
    problems = found.require(tracks, step)
    if problems:
        line = read_yaml_file(path).line_of(("tracks",))
        place = f"{name or path.name}, line {line}" if line else (name or path.name)
        raise ReferenceDataError([f"{place}: {problem}" for problem in problems])
    return found


def load_calendars(directory: Path) -> dict[str, Calendar]:
    """Every calendar file of a folder, by code; the error lists every file's problems."""
    found: dict[str, Calendar] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            calendar = load_yaml_file(path, Calendar)
        except ReferenceDataError as exc:
            problems.extend(exc.problems)
            continue
        if calendar.code in found:
            problems.append(f"{path.name}: calendar code {calendar.code} is used twice")
        found[calendar.code] = calendar
    if problems:
        raise ReferenceDataError(problems)
    return found
