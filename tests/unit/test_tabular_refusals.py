"""Every file the reader cannot take is refused with its own code and the details to explain."""

from __future__ import annotations

import io
import zipfile

import pytest

from services.errors import Refused
from services.tabular.table import ColumnSpec, read_table
from tests.support.tabular_files import COLUMNS, xlsx

GOOD_CSV = "Фамилия;Имя;Класс\nИванов;Пётр;9\n".encode()


def refusal(filename: str, content: bytes, **kwargs: object) -> Refused:
    with pytest.raises(Refused) as info:
        read_table(filename, content, COLUMNS, **kwargs)  # type: ignore[arg-type]
    return info.value


@pytest.mark.parametrize("name", ["list.txt", "list.xls", "list", "", "list.csv.exe", "a.ods"])
def test_wrong_extension(name: str) -> None:
    found = refusal(name, GOOD_CSV)
    assert found.reason == "file_wrong_type"
    assert found.details["expected"] == ".csv, .xlsx"


def test_xlsx_that_is_not_a_zip() -> None:
    found = refusal("list.xlsx", GOOD_CSV)
    assert (found.reason, found.details["name"]) == ("file_wrong_type", "list.xlsx")


def test_old_xls_renamed_to_xlsx_is_wrong_type() -> None:
    assert refusal("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)).reason == (
        "file_wrong_type"
    )


def test_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert refusal("a.xlsx", buffer.getvalue()).reason == "file_wrong_type"


def test_broken_workbook_is_damaged() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml at all")
        archive.writestr("xl/workbook.xml", "<broken")
    assert refusal("a.xlsx", buffer.getvalue()).reason == "file_damaged"


def test_truncated_workbook_is_damaged() -> None:
    content = xlsx([["Фамилия", "Имя", "Класс"], ["А", "Б", 5]])
    assert refusal("a.xlsx", content[: len(content) // 2]).reason == "file_damaged"


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\x7fELF\x02\x01\x01\x00", b"PK\x03\x04abc"],
)
def test_binary_passed_as_csv(content: bytes) -> None:
    assert refusal("list.csv", content).reason == "file_wrong_type"


def test_workbook_passed_as_csv() -> None:
    content = xlsx([["Фамилия", "Имя", "Класс"]])
    assert refusal("list.csv", content).reason == "file_wrong_type"


@pytest.mark.parametrize("content", [b"", b"   \r\n\n", b"\xef\xbb\xbf", b";;;\n;;\n"])
def test_empty_csv(content: bytes) -> None:
    assert refusal("list.csv", content).reason == "file_empty"


def test_empty_workbook() -> None:
    assert refusal("list.xlsx", xlsx([])).reason == "file_empty"


def test_too_many_bytes() -> None:
    found = refusal("list.csv", GOOD_CSV + b"x" * 5_000_000)
    assert (found.reason, found.details["limit_mb"]) == ("file_too_large", "5")


def test_too_many_rows_csv_default_limit() -> None:
    content = "Фамилия;Имя;Класс\n" + "А;Б;5\n" * 20_001
    found = refusal("list.csv", content.encode())
    assert (found.reason, found.details["limit"]) == ("file_too_many_rows", 20_000)


def test_exactly_the_row_limit_is_accepted() -> None:
    content = "Фамилия;Имя;Класс\n" + "А;Б;5\n" * 20_000
    assert len(read_table("list.csv", content.encode(), COLUMNS).rows) == 20_000


def test_too_many_rows_xlsx() -> None:
    content = xlsx([["Фамилия", "Имя", "Класс"]] + [["А", "Б", 5]] * 11)
    assert refusal("list.xlsx", content, max_rows=10).reason == "file_too_many_rows"


def test_utf16_is_bad_encoding() -> None:
    assert refusal("list.csv", GOOD_CSV.decode().encode("utf-16")).reason == "file_bad_encoding"


def test_koi8_is_bad_encoding() -> None:
    content = "Фамилия;Имя;Класс\nИванов;Пётр;9\nПетрова;Мария;10\n".encode("koi8_r")
    assert refusal("list.csv", content).reason == "file_bad_encoding"


def test_missing_required_columns_are_named() -> None:
    found = refusal("list.csv", "Фамилия;Отчество\nА;Б\n".encode())
    assert found.reason == "file_missing_columns"
    assert found.details["columns"] == "«Имя», «Класс»"


def test_duplicate_column() -> None:
    found = refusal("list.csv", "Фамилия;Имя;Класс;Surname\nА;Б;5;В\n".encode())
    assert (found.reason, found.details["column"]) == ("file_duplicate_columns", "«Фамилия»")


def test_header_only() -> None:
    assert refusal("list.csv", "Фамилия;Имя;Класс\n\n".encode()).reason == "file_no_rows"
    assert refusal("a.xlsx", xlsx([["Фамилия", "Имя", "Класс"]])).reason == "file_no_rows"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"a: [unclosed", "file_damaged"),
        (b"just: a mapping\n", "file_damaged"),
        (b"- 1\n- 2\n", "file_damaged"),
        (b"[]\n", "file_no_rows"),
        (b"- {a: {b: c}}\n", "file_missing_columns"),
    ],
)
def test_yaml_refusals(content: bytes, reason: str) -> None:
    assert refusal("a.yaml", content, formats=("yaml",)).reason == reason


def test_yaml_nested_value() -> None:
    spec = [ColumnSpec("a", ("a",))]
    with pytest.raises(Refused) as info:
        read_table("a.yaml", b"- {a: {b: c}}\n", spec, formats=("yaml",))
    assert info.value.reason == "file_damaged"
