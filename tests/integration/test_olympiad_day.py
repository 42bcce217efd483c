"""Codes and appeals through the services, on SQLite and PostgreSQL: a refused file saves
nothing, a withdrawn student's code is void and its delivery withdrawn, a reissue needs a reserve
code, the organiser of another municipality is refused, and an appeal outcome is checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Level
from models.olympiad import Registration
from models.olympiad_day import Appeal, AppealState, CodeState, ParticipantCode
from models.outbox import Outbox, OutboxStatus
from services.appeals import answers, filing
from services.codes import assign, reissue, screens
from services.codes.upload import Problem, Uploaded, upload_codes
from services.errors import Refused
from services.reference.day_schema import OlympiadDayFile
from tests.support.results_world import NOW, World, i18n_context, register, world

__all__ = ["i18n_context", "world"]
EIGHT = dt.time(8, 0)


@dataclass(frozen=True)
class Code:
    id: int
    code: str
    state: str
    release_at: dt.datetime | None


async def _codes(session: AsyncSession, event_id: int) -> list[Code]:
    """The event's code rows, read in a transaction of their own."""
    async with session.begin():
        rows = await session.execute(
            select(ParticipantCode.id, ParticipantCode.code, ParticipantCode.state,
                   ParticipantCode.release_at)
            .where(ParticipantCode.event_id == event_id)
            .order_by(ParticipantCode.id)
        )  # fmt: skip
        return [Code(*row) for row in rows.all()]


@pytest.mark.usefixtures("i18n_context")
async def test_codes_file_assignment_withdrawal_and_reissue(
    session: AsyncSession, world: World
) -> None:
    async with session.begin():
        event = await world.event(session, "m", "math", Level.SCHOOL, municipality=world.ys)
        students = [await world.person(session, f"Ученик {i}", world.school1, 9, tg_id=900 + i)
                    for i in range(2)]  # fmt: skip
        for student in students:
            await register(session, event, student)
    organiser, other = world.staff["municipal"], world.staff["municipal_kor"]
    async with session.begin():
        bad = await upload_codes(session, organiser, event.id,
                                 ("c.csv", "Код;Резерв\nA1;\nA1;\n;да\nB1;может\n".encode()),
                                 EIGHT, NOW)  # fmt: skip
    assert bad == [Problem(3, "codes_row_repeated"), Problem(4, "codes_row_empty"),
                   Problem(5, "codes_row_bad_reserve")]  # fmt: skip
    assert await _codes(session, event.id) == []
    async with session.begin():
        with pytest.raises(Refused):
            await upload_codes(session, other, event.id, ("c.csv", b"Code\nZ1\n"), EIGHT, NOW)
    async with session.begin():
        done = await upload_codes(session, organiser, event.id,
                                  ("c.csv", "Код;Резерв\nA1;\nA2;\nR1;да\n".encode()),
                                  EIGHT, NOW)  # fmt: skip
    assert done == Uploaded(main=2, reserve=1, given=2, without_code=0)
    codes = await _codes(session, event.id)
    assert [c.state for c in codes] == [CodeState.ASSIGNED, CodeState.ASSIGNED, CodeState.FREE]
    # 1 October 08:00 in Yuzhno-Sakhalinsk (UTC+11).
    assert codes[0].release_at == dt.datetime(2026, 9, 30, 21, 0, tzinfo=dt.UTC)

    async with session.begin():
        await assign.on_unregistered(session, event.id, students[1].id, NOW)
    async with session.begin():
        await reissue.reissue(session, world.staff["curator1"], codes[0].id, NOW)
    states = {c.code: c.state for c in await _codes(session, event.id)}
    assert states == {"A1": CodeState.VOID, "A2": CodeState.VOID, "R1": CodeState.ASSIGNED}
    async with session.begin():
        withdrawn = await session.scalars(
            select(Outbox.status).where(Outbox.key.like(f"msg:code:{codes[1].id}:%"))
        )
        assert set(withdrawn) == {OutboxStatus.CANCELLED}
    current = (await _codes(session, event.id))[2]
    async with session.begin():
        with pytest.raises(Refused, match="codes_no_reserve"):
            await reissue.reissue(session, world.staff["curator1"], current.id, NOW)
    async with session.begin():
        with pytest.raises(Refused, match="forbidden"):  # another school's curator
            await reissue.reissue(session, world.staff["curator3"], current.id, NOW)


@pytest.mark.usefixtures("i18n_context")
async def test_appeal_window_filing_and_outcome(session: AsyncSession, world: World) -> None:
    day = OlympiadDayFile()  # 72 hours at every level
    async with session.begin():
        event = await world.event(session, "h", "history", Level.SCHOOL, municipality=world.ys)
        event.results_published_at = NOW
        student = await world.person(session, "Апеллянт", world.school1, 9, tg_id=950)
        other = await world.person(session, "Сосед", world.school1, 9, tg_id=951)
        reg = await register(session, event, student, 30)
    async with session.begin():
        with pytest.raises(Refused, match="ap_not_yours"):
            await filing.file_appeal(session, other, reg.id, "1", "x" * 20, day, NOW)
        appeal = await filing.file_appeal(session, student, reg.id, "Задача 1", "x" * 20, day,
                                          NOW)  # fmt: skip
    async with session.begin():
        with pytest.raises(Refused, match="ap_pending"):
            await filing.file_appeal(session, student, reg.id, "Задача 2", "y" * 20, day, NOW)
    organiser = world.staff["municipal"]
    async with session.begin():
        with pytest.raises(Refused, match="res_score_out_of_range"):
            await answers.answer(session, organiser, appeal.id, "51", NOW)
    async with session.begin():
        with pytest.raises(Refused, match="forbidden"):
            await answers.answer(session, world.staff["municipal_kor"], appeal.id, "40", NOW)
    async with session.begin():
        await answers.answer(session, organiser, appeal.id, "40", NOW)
    async with session.begin():
        score = await session.scalar(select(Registration.score).where(Registration.id == reg.id))
        state = await session.scalar(select(Appeal.state).where(Appeal.id == appeal.id))
    assert score == 40 and state == AppealState.CHANGED
    later = NOW + dt.timedelta(hours=72)
    async with session.begin():
        with pytest.raises(Refused, match="ap_closed"):
            await filing.file_appeal(session, student, reg.id, "Задача 3", "z" * 20, day, later)
    async with session.begin():
        assert await session.scalar(select(func.count()).select_from(Appeal)) == 1


@pytest.mark.usefixtures("i18n_context")
async def test_the_organisers_release_time_holds_until_codes_are_given(
    session: AsyncSession, world: World
) -> None:
    organiser = world.staff["municipal"]
    async with session.begin():
        event = await world.event(session, "p", "physics", Level.SCHOOL, municipality=world.ys)
        student = await world.person(session, "Физик", world.school1, 9, tg_id=960)
        await register(session, event, student)
    async with session.begin():
        with pytest.raises(Refused, match="day_bad_time"):
            await screens.set_release_time(session, organiser, event.id, "9 утра", NOW)
    async with session.begin():
        with pytest.raises(Refused, match="forbidden"):
            await screens.set_release_time(session, world.staff["curator1"], event.id, "9:30",
                                           NOW)  # fmt: skip
    async with session.begin():
        assert await screens.set_release_time(session, organiser, event.id, "9.30", NOW) == "09:30"
    async with session.begin():
        await upload_codes(session, organiser, event.id, ("c.csv", b"Code\nP1\n"), EIGHT, NOW)
    [code] = await _codes(session, event.id)
    assert code.release_at == dt.datetime(2026, 9, 30, 22, 30, tzinfo=dt.UTC)  # 09:30 UTC+11
    async with session.begin():
        with pytest.raises(Refused, match="codes_time_fixed"):
            await screens.set_release_time(session, organiser, event.id, "10:00", NOW)
