"""Workbooks and CSV reports: formulas never run, titles are valid, headers are bold and frozen."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from openpyxl import load_workbook

from services.tabular.xlsx_export import Sheet, build_csv_report, build_workbook, sheet_title

EVIL = '=HYPERLINK("http://example.com/x","Нажми")'


def test_formula_like_text_round_trips_as_a_string() -> None:
    rows = [[EVIL, "+7 999", "-1", "@SUM(A1)", "\tTab", "\rCR", -5, "Иванов"]]
    content = build_workbook([Sheet("Список", ["Фамилия"] * 8, rows)])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    values = [c.value for c in cells]
    # XML turns a bare CR into a line feed; what matters is that it stays text.
    assert values == [EVIL, "+7 999", "-1", "@SUM(A1)", "\tTab", "\nCR", -5, "Иванов"]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "s", "s", "n", "s"]
    assert cells[0].quotePrefix is True
    assert cells[7].quotePrefix is False


def test_formula_text_is_not_a_formula_in_the_file_itself() -> None:
    content = build_workbook([Sheet("S", ["A"], [[EVIL]])])

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_header_is_bold_and_frozen_and_widths_follow_content() -> None:
    rows = [["Константинопольская", 9], ["Ли", 10]]
    content = build_workbook([Sheet("Ученики", ["Фамилия", "Класс"], rows)])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet["B1"].font.bold
    assert not sheet["A2"].font.bold
    assert sheet.column_dimensions["A"].width == len("Константинопольская") + 2
    assert sheet.column_dimensions["B"].width == 8


def test_values_keep_their_types() -> None:
    day = dt.date(2026, 10, 1)
    content = build_workbook([Sheet("S", ["a", "b", "c", "d"], [[1, 2.5, day, None]])])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    values = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert values[:2] == [1, 2.5]
    assert values[2].date() == day  # Excel keeps no zone: a date comes back as midnight
    assert values[3] is None


def test_control_characters_are_dropped_instead_of_failing() -> None:
    content = build_workbook([Sheet("S", ["a"], [["Ива\x00нов\x07"]])])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet["A2"].value == "Иванов"


def test_sheet_titles_are_made_valid_and_unique() -> None:
    sheets = [
        Sheet("Математика [5–11]: итоги/2026?", ["a"], []),
        Sheet("математика [5–11]: итоги/2026?", ["a"], []),
        Sheet("'*'", ["a"], []),
        Sheet("Очень длинное название листа, которое не влезет", ["a"], []),
    ]
    titles = load_workbook(io.BytesIO(build_workbook(sheets))).sheetnames
    assert titles[0] == "Математика 5–11 итоги 2026"
    assert titles[1] == "математика 5–11 итоги 2026 (2)"
    assert titles[2] == "Лист"
    assert titles[3] == "Очень длинное название листа, к"
    assert all(len(t) <= 31 for t in titles)


def test_sheet_title_helper() -> None:
    assert sheet_title("a", ["A", "a (2)"]) == "a (3)"
    assert sheet_title("x" * 40) == "x" * 31


def test_no_sheets_still_gives_a_workbook() -> None:
    assert load_workbook(io.BytesIO(build_workbook([]))).sheetnames == ["Лист1"]


def test_csv_report_has_bom_semicolons_and_neutralised_formulas() -> None:
    content = build_csv_report(["Строка", "Итог"], [[2, EVIL], [3, "Записан; ок"], [4, None]])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Строка", "Итог"], ["2", "'" + EVIL], ["3", "Записан; ок"], ["4", ""]]
