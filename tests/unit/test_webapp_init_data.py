"""The Mini App's initData check on its own: signature, user, freshness by the given clock."""

from __future__ import annotations

import datetime as dt

import pytest

from webapp.auth import Unauthenticated, sign, verify

TOKEN = "123456:test-token"
NOW = dt.datetime(2026, 10, 5, 23, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(hours=24)


def _signed(age: dt.timedelta, token: str = TOKEN) -> str:
    return sign(token, tg_id=42, first_name="Мария", auth_date=NOW - age)


def test_a_fresh_signed_init_data_names_the_person() -> None:
    person = verify(_signed(dt.timedelta(hours=23)), TOKEN, now=NOW, max_age=DAY)
    assert (person.tg_id, person.name, person.language_code) == (42, "Мария", "ru")


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        _signed(dt.timedelta(hours=25)),
        _signed(-dt.timedelta(minutes=10)),
        _signed(dt.timedelta(0), token="654321:other"),
        _signed(dt.timedelta(0)).replace("auth_date=", "auth_date=1"),
        _signed(dt.timedelta(0)) + "&extra=1",
    ],
    ids=["missing", "empty", "expired", "future", "other bot", "changed", "added field"],
)
def test_anything_else_is_unauthenticated(data: str | None) -> None:
    with pytest.raises(Unauthenticated):
        verify(data, TOKEN, now=NOW, max_age=DAY)
