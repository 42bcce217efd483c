"""The data calendars' commands × every role × a school in and out of the person's scope.

Rows of the staff matrix (`test_staff_matrix.py` explains a row): opening a school's step (its
data operator, and the office and centre watching it), marking a step of
«Паспорт школы» done (/steps) and uploading a ВПР plan-schedule (/vpr). A school's step is
marked by its data operator (and the admin, who may do anything); a plan is uploaded by the
municipal office or the regional centre for their own scope (the admin holds no place to upload
for). Refused attempts leave no mark and no plan behind.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from bot.app import App
from models.calendar_steps import PlanWork, StepMark
from models.geo import School
from tests.support.chat import ChatDriver, Reply
from tests.support.staff_chat import press, refused
from tests.support.staff_matrix import Ctx, MatrixRow, extra_routers, run_row
from ui.callbacks.calendar_steps import CsAct, CsCb

__all__ = ["extra_routers"]
NO_ROLE = "Календари данных («Паспорт школы», ВПР) — для ответственного"
HEADER = "Предмет;Класс;Дата проведения;Дата загрузки результатов;Код школы\n"


def _declined(reply: Reply) -> bool:
    assert not reply.errors, reply
    assert "Что-то пошло не так" not in reply.text, reply
    return (
        refused(reply) or NO_ROLE in reply.text or "для региона или муниципалитета" in (reply.text)
    )


async def _count(ctx: Ctx, model: type[StepMark] | type[PlanWork]) -> int:
    async with ctx.app.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def attempt_mark(ctx: Ctx, in_scope: bool) -> bool:
    school = ctx.places.pick("s", in_scope)
    before = await _count(ctx, StepMark)
    reply = await ctx.chat.send("/steps")
    if _declined(reply):
        return False
    data = CsCb(act=CsAct.DONE, cal="p", school=school, item="students_1_8")
    reply = await press(ctx.app, ctx.chat, data.pack())
    if _declined(reply):
        assert await _count(ctx, StepMark) == before
        return False
    assert "Выполнено:" in reply.text, reply
    async with ctx.app.sessionmaker() as session, session.begin():
        await session.execute(StepMark.__table__.delete())  # the next role starts afresh
    return True


async def attempt_plan(ctx: Ctx, in_scope: bool) -> bool:
    async with ctx.app.sessionmaker() as session:
        school = await session.get(School, ctx.places.pick("s", in_scope))
        assert school is not None
        code = school.code
    reply = await ctx.chat.send("/vpr")
    if _declined(reply):
        return False
    row = f"Математика;5;15.04.2027;19.04.2027;{code}\n"
    reply = await ctx.chat.upload("plan.csv", (HEADER + row).encode())
    await ctx.chat.send("/cancel")
    if "Ничего не загружено" in reply.text:
        assert await _count(ctx, PlanWork) == 0
        return False
    assert "План-график загружен: работ — 1, школ — 1" in reply.text, reply
    async with ctx.app.sessionmaker() as session, session.begin():
        await session.execute(PlanWork.__table__.delete())
    return True


async def attempt_view(ctx: Ctx, in_scope: bool) -> bool:
    """A step's card names the school and who marked it: its school and those watching it."""
    school = ctx.places.pick("s", in_scope)
    data = CsCb(act=CsAct.STEP, cal="p", school=school, item="school_details")
    reply = await press(ctx.app, ctx.chat, data.pack())
    if _declined(reply):
        return False
    assert "Внесение и актуализация общих сведений" in reply.text, reply
    return True


ROWS = [
    MatrixRow(
        "/steps card",
        attempt_view,
        allowed_in=frozenset({"data_operator", "municipal_office", "regional_centre", "admin"}),
    ),
    MatrixRow("/steps", attempt_mark, allowed_in=frozenset({"data_operator", "admin"})),
    MatrixRow(
        "/vpr",
        attempt_plan,
        allowed_in=frozenset({"municipal_office", "regional_centre"}),
        allowed_out=frozenset(),
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.command for row in ROWS])
async def test_matrix(app: App, make_chat: Callable[..., ChatDriver], row: MatrixRow) -> None:
    await run_row(app, make_chat, row)
