"""One row of a curator's list, checked without the database (pure).

Columns: surname, name, patronymic (optional), grade, subjects (comma-separated, by Russian or
English name or code, case-insensitive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from services.people.names import tidy_name
from services.tabular.table import ColumnSpec, Row

COLUMNS = [
    ColumnSpec("surname", ("Фамилия", "Surname", "Last name", "Family name")),
    ColumnSpec("name", ("Имя", "Name", "First name", "Given name")),
    ColumnSpec("patronymic", ("Отчество", "Patronymic", "Middle name"), required=False),
    ColumnSpec("grade", ("Класс", "Grade", "Class", "Параллель")),
    ColumnSpec("subjects", ("Предметы", "Предмет", "Subjects", "Subject")),
]
MAX_NAME = 200
MAX_GRADE = 11
# Spellings schools use that the reference names do not contain (reference data keeps the
# official names; these are the usual short forms).
ALIASES = {
    "обж": "obzr",
    "мхк": "art",
    "физкультура": "physical_education",
    "физра": "physical_education",
    "икт": "informatics",
    "информатика и икт": "informatics",
    "английский": "english",
    "немецкий": "german",
    "французский": "french",
    "испанский": "spanish",
    "итальянский": "italian",
    "китайский": "chinese",
    "русский": "russian",
}
_GRADE = re.compile(r"(\d{1,2})\s*[-–]?\s*(?:[A-Za-zА-Яа-яЁё]{1,5}\.?)?")
_SPLIT = re.compile(r"[,;\n]+")

NO_SURNAME = "row_no_surname"
NO_NAME = "row_no_name"
BAD_GRADE = "row_bad_grade"
NAME_TOO_LONG = "row_name_too_long"
NAME_FORMULA = "row_name_formula"
UNKNOWN_SUBJECT = "row_unknown_subject"


@dataclass(frozen=True)
class SubjectPick:
    text: str  # as written in the file
    subject_id: int | None  # None: not recognised


@dataclass(frozen=True)
class ParsedRow:
    number: int
    surname: str
    name: str
    patronymic: str
    grade_text: str
    grade: int | None
    subjects: list[SubjectPick] = field(default_factory=list)
    problem: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)


def fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def name_keys(full_name: str) -> tuple[str, str]:
    """Order-free keys of a name, with and without its third word (a patronymic), so that
    "Иванов Пётр Сергеевич" on a list finds the Telegram user "Пётр Иванов"."""
    words = fold(full_name).split()
    return " ".join(sorted(words)), " ".join(sorted(words[:2]))


def subject_keys(code: str, name_ru: str, name_en: str) -> set[str]:
    keys = {fold(code), fold(code.replace("_", " ")), fold(name_ru), fold(name_en)}
    for name in (name_ru, name_en):
        bare, _, inner = name.partition("(")
        keys.update({fold(bare), fold(inner.rstrip(")"))})
    return {k for k in keys if k}


def subject_index(subjects: Iterable[tuple[int, str, str, str]]) -> dict[str, int]:
    """Folded spelling → subject id, from (id, code, name_ru, name_en) rows."""
    index: dict[str, int] = {}
    by_code: dict[str, int] = {}
    for subject_id, code, name_ru, name_en in subjects:
        by_code[code] = subject_id
        for key in subject_keys(code, name_ru, name_en):
            index.setdefault(key, subject_id)
    for alias, code in ALIASES.items():
        if code in by_code:
            index.setdefault(alias, by_code[code])
    return index


def parse_grade(text: str) -> int | None:
    match = _GRADE.fullmatch(text.strip())
    if match is None:
        return None
    grade = int(match.group(1))
    return grade if 1 <= grade <= MAX_GRADE else None


def parse_row(row: Row, index: dict[str, int]) -> ParsedRow:
    values = {k: tidy_name(v) for k, v in row.values.items()}
    grade_text = values.get("grade", "")
    parsed = ParsedRow(
        number=row.number,
        surname=values.get("surname", ""),
        name=values.get("name", ""),
        patronymic=values.get("patronymic", ""),
        grade_text=grade_text,
        grade=parse_grade(grade_text),
        subjects=_subjects(values.get("subjects", ""), index),
    )
    refused = row.problem  # cells beyond the header: the other values may be shifted too
    problem, details = (refused.reason, refused.details) if refused else _problem(parsed)
    if problem is None:
        return parsed
    return replace(parsed, problem=problem, details=details)


def _problem(parsed: ParsedRow) -> tuple[str | None, dict[str, Any]]:
    for part in (parsed.surname, parsed.name, parsed.patronymic):
        if part.startswith("="):  # a formula the file kept no value for (services/tabular_xlsx)
            return NAME_FORMULA, {"value": part}
    if not parsed.surname:
        return NO_SURNAME, {}
    if not parsed.name:
        return NO_NAME, {}
    if len(parsed.full_name) > MAX_NAME:
        return NAME_TOO_LONG, {"limit": MAX_NAME}
    if parsed.grade is None:
        return BAD_GRADE, {"value": parsed.grade_text or "—"}
    return None, {}


def _subjects(text: str, index: dict[str, int]) -> list[SubjectPick]:
    picks: list[SubjectPick] = []
    seen: set[int] = set()
    for part in _SPLIT.split(text):
        spelled = part.strip()
        if not spelled:
            continue
        subject_id = index.get(fold(spelled))
        if subject_id is not None and subject_id in seen:
            continue
        if subject_id is not None:
            seen.add(subject_id)
        picks.append(SubjectPick(spelled, subject_id))
    return picks
