"""The data calendars' screens stay within one Telegram message at their longest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from bot.i18n import build_i18n
from calendars.schema import MOSCOW_TZ
from handlers.completeness import _fitting
from handlers.keyboards.collections import state_names
from models.collections import Collection, OrgState
from reminders.views import when_line
from services.collections.monitor import PAGE, MineLine, OrgLine, OrgPage
from services.completeness.store import MunicipalityFigures, OrgFigure
from ui.templating import render

LIMIT = 4096
AT = dt.datetime(2026, 10, 10, 15, 0, tzinfo=dt.UTC)
LONG = "Муниципальное бюджетное общеобразовательное учреждение " * 6


@pytest.fixture(autouse=True)
def russian() -> Iterator[None]:
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        yield


def _collection(title: str = LONG[:200]) -> Collection:
    return Collection(id=1, title=title, region_id=1, opens_at=AT, closes_at=AT,
                      template_name=LONG[:200], created_at=AT)  # fmt: skip


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_a_page_of_organisations_fits() -> None:
    line = OrgLine(1, "x" * 32, LONG[:300], LONG[:300], OrgState.SUBMITTED, AT, AT)
    view = OrgPage([line] * PAGE, 0, 99)
    icons = dict.fromkeys(OrgState, "🟢")
    text = render("collections/orgs.html", collection=_collection(), view=view, icons=icons,
                  state_names=state_names(), when=when_line, moscow=MOSCOW_TZ,
                  zone="Asia/Sakhalin")  # fmt: skip
    assert _utf16(text) <= LIMIT


def test_the_collections_list_fits() -> None:
    mine = [MineLine(_collection(), 1, LONG[:300], OrgState.IN_PROGRESS)] * 12
    text = render("collections/list.html", mine=mine, coordinated=[_collection()] * 12,
                  state_names=state_names(), when=when_line, moscow=MOSCOW_TZ,
                  zone="Asia/Sakhalin")  # fmt: skip
    assert _utf16(text) <= LIMIT


def test_a_large_region_of_figures_fits_low_first() -> None:
    orgs = [OrgFigure(i, LONG[:300], 500 + i) for i in range(40)]
    groups = [MunicipalityFigures(f"{LONG[:200]} {n}", orgs) for n in range(60)]
    text = _fitting(orgs, groups)
    assert _utf16(text) <= LIMIT
    assert "ещё муниципалитетов" in text
    assert "50 %" in text  # each municipality shown keeps its lowest organisation
