"""The shared table reader: formats, encodings, separators, header spellings, row numbers."""

from __future__ import annotations

import pytest

from services.errors import Refused
from services.tabular.table import ROW_EXTRA_CELLS, ColumnSpec, normalize_header, read_table
from tests.support.tabular_files import COLUMNS, xlsx


def test_utf8_csv_with_semicolons_and_bom() -> None:
    content = "\ufeffФамилия;Имя;Отчество;Класс\nИванов;Пётр;Сергеевич;9\n".encode()
    table = read_table("list.csv", content, COLUMNS)
    assert table.format == "csv"
    assert [(r.number, r.values) for r in table.rows] == [
        (2, {"surname": "Иванов", "name": "Пётр", "patronymic": "Сергеевич", "grade": "9"})
    ]


def test_cp1251_csv_with_commas() -> None:
    content = "Фамилия,Имя,Класс\r\nЁлкина,Анна,10\r\n".encode("cp1251")
    table = read_table("СПИСОК.CSV", content, COLUMNS)
    assert table.rows[0].values == {
        "surname": "Ёлкина",
        "name": "Анна",
        "patronymic": "",
        "grade": "10",
    }


def test_separator_is_sniffed_from_the_header_not_the_data() -> None:
    content = 'Фамилия;Имя;Класс\n"Петров, мл.";Иван;7\n'.encode()
    table = read_table("a.csv", content, COLUMNS)
    assert table.rows[0].values["surname"] == "Петров, мл."


def test_headers_ignore_case_spaces_and_yo() -> None:
    content = " ФАМИЛИЯ ;имя; отчёство ;Класс:\nА;Б;В;5\n".encode()
    table = read_table("a.csv", content, COLUMNS)
    assert table.rows[0].values["patronymic"] == "В"
    assert normalize_header(" Отчёство* ") == normalize_header("отчество")


def test_english_headers_and_extra_columns() -> None:
    content = b"Note,First name,Surname,Grade\nx,Ann,Lee,8\n"
    table = read_table("a.csv", content, COLUMNS)
    assert table.rows[0].values == {
        "surname": "Lee",
        "name": "Ann",
        "patronymic": "",
        "grade": "8",
    }
    assert table.headers == {"surname": "Surname", "name": "First name", "grade": "Grade"}


def test_row_numbers_skip_blank_lines_but_count_them() -> None:
    content = "\n\nФамилия;Имя;Класс\n;;\nА;Б;5\n\nВ;Г;6\n".encode()
    table = read_table("a.csv", content, COLUMNS)
    assert [r.number for r in table.rows] == [5, 7]


def test_xlsx_first_non_empty_row_is_header_and_numbers_are_sheet_rows() -> None:
    content = xlsx(
        [[], ["Фамилия", "Имя", "Класс"], ["Иванов", "Пётр", 9], [], ["Ли", "Ан", 11.0]]
    )
    table = read_table("list.xlsx", content, COLUMNS)
    assert table.format == "xlsx"
    assert [(r.number, r.values["grade"]) for r in table.rows] == [(3, "9"), (5, "11")]


def test_xlsx_formulas_are_never_evaluated() -> None:
    content = xlsx([["Фамилия", "Имя", "Класс"], ["=1+1", "Б", "=2*4"]])
    table = read_table("list.xlsx", content, COLUMNS)
    # openpyxl writes no cached value: the formula's text stands in, so a report can show it.
    assert table.rows[0].values["surname"] == "=1+1"
    assert table.rows[0].values["grade"] == "=2*4"


def test_yaml_only_where_allowed() -> None:
    content = "- Фамилия: Иванов\n  Имя: Пётр\n  Класс: 9\n- Фамилия: Ли\n  Имя: Ан\n  Класс: 5\n"
    with pytest.raises(Refused) as info:
        read_table("list.yaml", content.encode(), COLUMNS)
    assert info.value.reason == "file_wrong_type"
    table = read_table("list.yml", content.encode(), COLUMNS, formats=("yaml",))
    assert [(r.number, r.values["surname"], r.values["grade"]) for r in table.rows] == [
        (1, "Иванов", "9"),
        (4, "Ли", "5"),
    ]


def test_yaml_lists_become_comma_separated() -> None:
    content = "- {Фамилия: А, Имя: Б, Класс: 5, Предметы: [Математика, Физика]}\n"
    columns = [*COLUMNS, ColumnSpec("subjects", ("Предметы",))]
    table = read_table("a.yaml", content.encode(), columns, formats=("yaml",))
    assert table.rows[0].values["subjects"] == "Математика, Физика"


def test_cells_beyond_the_header_make_the_row_invalid() -> None:
    content = (
        "Фамилия;Имя;Отчество;Класс\n"
        "Сидоров;Алексей;Иванович;11;математика;физика\n"
        "Петров;Пётр;;9;;\n"  # empty trailing cells are fine
        "Иванов;Иван;;8\n"
    ).encode()
    table = read_table("list.csv", content, COLUMNS)
    sidorov, petrov, ivanov = table.rows
    assert sidorov.extra == ("математика", "физика")
    problem = sidorov.problem
    assert problem is not None and problem.reason == ROW_EXTRA_CELLS
    assert problem.details == {"row": 2, "extra": "«математика», «физика»"}
    assert (petrov.extra, petrov.problem, ivanov.extra, ivanov.problem) == ((), None, (), None)


def test_cells_beyond_the_header_in_a_workbook() -> None:
    content = xlsx([["Фамилия", "Имя", "Класс", None], ["Сидоров", "Алексей", 11, None, "физика"]])
    (row,) = read_table("list.xlsx", content, COLUMNS).rows
    assert row.extra == ("физика",) and row.problem is not None


def test_results_rows_with_extra_cells_are_refused_per_row() -> None:
    from services.results.upload import RESULT_COLUMNS, entries_of

    content = "Фамилия;Имя;Класс;Балл\nИванов;Пётр;8;30;5\nПетров;Иван;8;31\n".encode()
    table = read_table("results.csv", content, RESULT_COLUMNS)
    entries = entries_of(table.rows)
    assert entries[0].problem is not None and entries[0].problem.reason == "row_extra_cells"
    assert entries[1].problem is None
