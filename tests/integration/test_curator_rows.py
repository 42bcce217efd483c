"""Pure pieces of the curator's list: row checks, subject spellings, name keys, callback size."""

from __future__ import annotations

import pytest

from services.curator.rows import name_keys, parse_grade, parse_row, subject_index
from services.tabular.table import Row
from ui.callbacks.curator import CurAct, CurCb

SUBJECTS = [
    (1, "math", "Математика", "Mathematics"),
    (2, "art", "Искусство (МХК)", "Art (world art culture)"),
    (3, "obzr", "ОБЗР", "Security and defence of the homeland"),
    (4, "physical_education", "Физическая культура", "Physical education"),
    (5, "english", "Английский язык", "English"),
]


@pytest.mark.parametrize(
    ("text", "grade"),
    [("7", 7), ("7А", 7), ("11 Б", 11), ("9-в", 9), ("8 класс", 8), ("5кл.", 5), (" 10 ", 10)],
)
def test_grades_as_schools_write_them(text: str, grade: int) -> None:
    assert parse_grade(text) == grade


@pytest.mark.parametrize("text", ["", "0", "12", "седьмой", "7.5", "7, 8", "100"])
def test_grades_refused(text: str) -> None:
    assert parse_grade(text) is None


def test_subjects_by_russian_english_code_and_short_names() -> None:
    index = subject_index(SUBJECTS)
    spellings = {
        "математика": 1,
        "MATHEMATICS": 1,
        "math": 1,
        "МХК": 2,
        "искусство": 2,
        "ОБЖ": 3,
        "обзр": 3,
        "физкультура": 4,
        "physical education": 4,
        "английский": 5,
        "English": 5,
    }
    for spelled, subject_id in spellings.items():
        row = parse_row(
            Row(2, {"surname": "А", "name": "Б", "grade": "7", "subjects": spelled}), index
        )
        assert [p.subject_id for p in row.subjects] == [subject_id], spelled


def test_a_row_lists_each_subject_once_and_keeps_unknown_ones() -> None:
    values = {
        "surname": " Ёлкин ",
        "name": "Пётр",
        "grade": "7",
        "subjects": "Математика, math; Химия",
    }
    row = parse_row(Row(3, values), subject_index(SUBJECTS))
    assert row.problem is None and row.full_name == "Ёлкин Пётр"
    assert [(p.text, p.subject_id) for p in row.subjects] == [("Математика", 1), ("Химия", None)]


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"surname": "", "name": "Б", "grade": "7"}, "row_no_surname"),
        ({"surname": "А", "name": "", "grade": "7"}, "row_no_name"),
        ({"surname": "А", "name": "Б", "grade": "12"}, "row_bad_grade"),
        ({"surname": "А" * 150, "name": "Б" * 60, "grade": "7"}, "row_name_too_long"),
    ],
)
def test_row_problems(values: dict[str, str], problem: str) -> None:
    assert parse_row(Row(2, values), {}).problem == problem


def test_name_keys_ignore_order_case_and_yo() -> None:
    assert name_keys("Пётр Иванов") == name_keys("иванов петр")
    assert name_keys("Иванов Пётр Сергеевич")[1] == name_keys("Пётр Иванов")[0]


def test_callback_data_fits_telegram() -> None:
    big = 2**31 - 1
    packed = CurCb(
        act=CurAct.TICK_ALL, school=big, grade=11, event=big, student=big, page=999
    ).pack()
    assert len(packed.encode()) <= 64
    assert CurCb.unpack(packed).student == big
