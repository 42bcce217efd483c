"""Every reason a service refuses with has a text of its own, in Russian and in English.

`services/scopes.py` refused with `unknown_school` and `unknown_municipality`, which had no
text, so people read the generic "This action is not possible right now."
"""

from __future__ import annotations

import re

import pytest

from bot.i18n import build_i18n
from bot.settings import PROJECT_ROOT
from handlers import get_routers
from handlers.refusals import reason_text
from services.errors import Refused

GENERIC = "This action is not possible right now."
SOURCES = ("services", "handlers", "reminders")


def raised_codes() -> set[str]:
    codes: set[str] = set()
    for top in SOURCES:
        for path in (PROJECT_ROOT / top).rglob("*.py"):
            codes.update(re.findall(r'Refused\(\s*"([a-z_]+)"', path.read_text("utf-8")))
    return codes


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_no_refusal_falls_back_to_the_generic_text(locale: str) -> None:
    get_routers()  # the handlers register their own reasons when imported
    codes = raised_codes()
    assert {"unknown_school", "unknown_municipality"} <= codes
    with build_i18n("ru").context() as i18n, i18n.use_locale(locale):
        fallback = i18n.gettext(GENERIC)
        generic = [code for code in sorted(codes) if reason_text(Refused(code)) == fallback]
    assert fallback != GENERIC or locale == "en"
    assert generic == []


@pytest.mark.parametrize(
    ("locale", "code", "text"),
    [
        ("ru", "unknown_school", "Этой школы больше нет в списке."),
        ("en", "unknown_school", "This school is no longer in the list."),
        ("ru", "unknown_municipality", "Этого муниципалитета больше нет в списке."),
        ("en", "unknown_municipality", "This municipality is no longer in the list."),
    ],
)
def test_a_vanished_place_is_named(locale: str, code: str, text: str) -> None:
    with build_i18n("ru").context() as i18n, i18n.use_locale(locale):
        assert reason_text(Refused(code)) == text
