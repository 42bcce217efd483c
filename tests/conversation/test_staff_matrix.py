"""Every staff command × every role × a target in and out of the person's scope."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.app import App
from models.enums import PersonKind, Role
from tests.support.chat import ChatDriver
from tests.support.staff_chat import (
    ROLES,
)
from tests.support.staff_matrix import ROWS, MatrixRow, extra_routers, run_row

__all__ = ["extra_routers"]  # fixtures used here


@pytest.mark.parametrize("row", ROWS, ids=[row.command for row in ROWS])
async def test_matrix(app: App, make_chat: Callable[..., ChatDriver], row: MatrixRow) -> None:
    await run_row(app, make_chat, row)


def test_every_role_of_the_matrix_is_a_kind_of_person() -> None:
    staff_roles = {str(r) for r in Role}
    people = {str(k) for k in PersonKind if k != PersonKind.STAFF}
    assert set(ROLES) == staff_roles | people | {"none"}
