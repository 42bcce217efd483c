"""The catalog list's keyboard, built as rows: one event a row, the pager, the three filters on
one row, then «show all» and «another child» each on a row of its own."""

from __future__ import annotations

import datetime as dt

import pytest
from aiogram.utils.i18n import I18n

from bot.i18n import build_i18n
from handlers.keyboards.catalog import list_kb
from models.enums import EventStatus, Level, RegistrationState
from services.catalog.listing import CatalogItem, CatalogPage
from ui.callbacks.catalog import CatAct, CatCb, LevelF


def _page(count: int, page: int, pages: int) -> CatalogPage:
    items = tuple(
        CatalogItem(
            event_id=10 + n,
            subject=f"Предмет {n}",
            level=Level.SCHOOL,
            held_on=dt.date(2026, 10, 17),
            status=EventStatus.REGISTRATION,
            own_state=RegistrationState.REGISTERED if n == 0 else None,
        )
        for n in range(count)
    )
    return CatalogPage(items, page, pages, count * pages)


@pytest.fixture(scope="module")
def i18n_ru() -> I18n:
    return build_i18n("ru")


def test_rows_of_the_list(i18n_ru: I18n) -> None:
    view = CatCb(act=CatAct.LIST, lv=LevelF.SCHOOL, pg=1)
    with i18n_ru.context():
        markup = list_kb(_page(3, 1, 3), view, "все предметы", several_children=True)
    rows = [[button.text for button in row] for row in markup.inline_keyboard]
    assert [len(row) for row in rows] == [1, 1, 1, 3, 3, 1, 1]
    assert rows[0][0].startswith("9. ✅ Предмет 0 · ")  # page 2 of 8 a page: numbered from 9
    assert rows[3] == ["◀", "2/3", "▶"]
    assert rows[4][0].startswith("🔎 ") and rows[4][1] == "📚 все предметы"
    data = [[CatCb.unpack(b.callback_data or "") for b in row] for row in markup.inline_keyboard]
    assert (data[0][0].act, data[0][0].ev, data[0][0].lv) == (CatAct.CARD, 10, LevelF.SCHOOL)
    assert [d.pg for d in data[3]] == [0, 1, 2]
    assert data[5][0] == CatCb(act=CatAct.LIST, ch=view.ch)
    assert data[6][0].act == CatAct.CHILDREN


def test_one_page_unfiltered_has_no_pager_and_no_show_all(i18n_ru: I18n) -> None:
    with i18n_ru.context():
        markup = list_kb(_page(2, 0, 1), CatCb(act=CatAct.LIST), "все", several_children=False)
    assert [len(row) for row in markup.inline_keyboard] == [1, 1, 3]
