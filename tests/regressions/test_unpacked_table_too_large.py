"""A small .xlsx whose sheet unpacks past the reading cap names that reason (issue 15.14).

A 2.4 MB workbook that unpacks to 442 MB was refused with «не более 200 МБ» while the
instructions promise 5 МБ: the curator could not tell what was wrong with a small file.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from bot.i18n import build_i18n
from handlers.refusals import reason_text
from services.errors import Refused
from services.tabular.table import ColumnSpec, read_table

COLUMNS = (ColumnSpec("surname", ("Фамилия",)), ColumnSpec("name", ("Имя",)))
MB = 1_000_000


def swollen_workbook(padding_mb: int) -> bytes:
    """A real workbook plus a part that compresses to almost nothing (formatting run wild)."""
    book = Workbook()
    book.active.append(["Фамилия", "Имя"])
    book.active.append(["Иванов", "Пётр"])
    plain = io.BytesIO()
    book.save(plain)
    swollen = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(swollen, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/styles-padding.xml", b" " * (padding_mb * MB), zipfile.ZIP_DEFLATED)
    return swollen.getvalue()


def test_a_small_file_that_unpacks_too_large_says_so() -> None:
    content = swollen_workbook(210)
    assert len(content) < MB  # small on disk: the 5 MB limit is not what is wrong
    with pytest.raises(Refused) as refused:
        read_table("list.xlsx", content, COLUMNS)
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        ru = reason_text(refused.value)
    with i18n.context(), i18n.use_locale("en"):
        en = reason_text(refused.value)
    assert "после распаковки занимает 210 МБ" in ru
    assert "не более 200 МБ" in ru
    assert "Файл слишком большой" not in ru
    assert "unpacks to 210 MB" in en
