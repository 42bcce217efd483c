"""«Назад» and footer buttons sit on a row of their own, not beside the last item."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import build_i18n
from calendars.clock import FixedClock
from handlers.keyboards import catalog, parents, settings
from ui.callbacks.catalog import CatAct, CatCb


@pytest.fixture(autouse=True)
def russian() -> Iterator[None]:
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        yield


def last_row(markup: InlineKeyboardMarkup) -> list[str]:
    return [button.text for button in markup.inline_keyboard[-1]]


def test_filter_back_after_an_odd_number_of_options() -> None:
    view = CatCb(act=CatAct.FILTER)
    options = [(label, view, False) for label in ("Школьный", "Муниципальный", "Региональный")]
    assert last_row(catalog.filter_kb(view, options)) == ["« Назад"]


def test_grades_back_after_eleven_grades() -> None:
    assert last_row(parents.grades_kb()) == ["« Мои дети"]


def test_zones_back_on_its_own_row() -> None:
    clock = FixedClock(datetime(2026, 10, 5, tzinfo=UTC))
    markup = settings.zones_kb(clock, {})
    assert last_row(markup) == ["« Назад"]
    assert len(markup.inline_keyboard[-2]) == 1
