"""Field types shared by the reference files: codes, names, grades, time zones."""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Callable, Iterable
from functools import cache
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

GRADE_LOWEST = 1
GRADE_HIGHEST = 11


def _as_text(value: object) -> object:
    # YAML reads an unquoted 65 as a number; a code is text, whatever it looks like.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _pattern(regex: str, hint: str) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f'"{value}" is not a valid code: {hint}')
        return value

    return check


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _check_timezone(name: str) -> str:
    if name in _known_zones():
        return name
    near = difflib.get_close_matches(name, sorted(_known_zones()), n=1)
    hint = f' (did you mean "{near[0]}"?)' if near else ""
    raise ValueError(f'"{name}" is not an IANA time zone name like "Asia/Sakhalin"{hint}')


SubjectCode = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_pattern(r"[a-z][a-z0-9_]{1,31}", "2–32 small Latin letters, digits or _")),
]
RegionCode = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_pattern(r"[0-9]{2}", 'the two-digit region number in quotes, e.g. "65"')),
]
LocalCode = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_pattern(r"[a-z0-9][a-z0-9_-]{0,31}", "1–32 small Latin letters, digits, _ -")),
]
TimeZone = Annotated[str, AfterValidator(_check_timezone)]
Grade = Annotated[int, Field(ge=GRADE_LOWEST, le=GRADE_HIGHEST)]


def text(max_length: int) -> object:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


def check_grades(grade_min: int, grade_max: int) -> None:
    if grade_min > grade_max:
        raise ValueError(f"grade_min must be ≤ grade_max, got {grade_min} > {grade_max}")


def repeats(codes: Iterable[str], what: str = "code") -> list[str]:
    """One message per value used by more than one row, naming the 1-based rows."""
    rows: dict[str, list[int]] = {}
    for number, code in enumerate(codes, start=1):
        rows.setdefault(code, []).append(number)
    return [
        f'{what} "{code}" is used by rows {enumerate_words(numbers)}'
        for code, numbers in rows.items()
        if len(numbers) > 1
    ]


def enumerate_words(items: Iterable[object]) -> str:
    """1, 2 and 3."""
    words = [str(item) for item in items]
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def refuse(problems: list[str]) -> None:
    if problems:
        raise ValueError("; ".join(problems))


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
