"""The data calendars' steps on a real database: plan uploads all-or-nothing, marks with the
signed form, the lagging schools first, nudges once a day per step and school, mutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import build_i18n
from calendars.schema import Calendar
from models.calendar_steps import ORG_MUNICIPALITY, PlanWork, StepMark
from models.enums import Role
from models.outbox import Outbox, OutboxStatus
from services.calendar_steps import marks, monitor, nudges, offices, vpr_plan
from services.calendar_steps.due import calendar_due
from services.calendar_steps.muting import toggle_mute
from services.errors import Refused
from services.people.identity import Identity
from tests.support.reference import reference
from tests.support.staff_world import World, build_world, staff

UTC = dt.UTC
# 20 September 2024: ten days before the passport's first step (30 September).
NOW = dt.datetime(2024, 9, 20, 3, 0, tzinfo=UTC)
HEADER = "Предмет;Класс;Дата проведения;Дата загрузки результатов;Код школы\n"


@pytest.fixture(autouse=True)
def i18n_context() -> Iterator[None]:
    with build_i18n("ru").context():
        yield


def calendars() -> dict[str, Calendar]:
    return reference().calendars


async def _people(session: AsyncSession) -> tuple[World, Identity, Identity, Identity]:
    world = await build_world(session)
    office = await staff(session, 10, "МОУО", Role.MUNICIPAL_OFFICE, world.muni(world.city))
    first = await staff(session, 11, "Оператор 1", Role.DATA_OPERATOR, world.school(world.school1))
    second = await staff(
        session, 12, "Оператор 2", Role.DATA_OPERATOR, world.school(world.school2)
    )
    return world, office, first, second


async def test_a_plan_with_one_bad_row_imports_nothing(session: AsyncSession) -> None:
    _, office, _, _ = await _people(session)
    bad = HEADER + "Математика;5;15.10.2024;19.10.2024;\nИстория;6;16.10.2024;01.10.2024;\n"
    result = await vpr_plan.import_plan(session, office, "plan.csv", bad.encode(), NOW)
    assert [(p.row, p.reason) for p in result.problems] == [(3, "plan_upload_before_work")]
    assert result.imported == 0
    assert await session.scalar(select(func.count()).select_from(PlanWork)) == 0


async def test_a_plan_again_replaces_its_rows_and_names_one_school(session: AsyncSession) -> None:
    world, office, _, _ = await _people(session)
    plan = HEADER + "Математика;5;15.10.2024;19.10.2024;\nИстория;6;16.10.2024;20.10.2024;s2\n"
    result = await vpr_plan.import_plan(session, office, "plan.csv", plan.encode(), NOW)
    assert (result.imported, result.schools, result.problems) == (2, 2, [])
    again = HEADER + "математика;5;17.10.2024;21.10.2024;\n"
    await vpr_plan.import_plan(session, office, "plan.csv", again.encode(), NOW)
    works = {w.subject.casefold(): w for w in await session.scalars(select(PlanWork))}
    assert len(works) == 2
    assert works["математика"].work_on == dt.date(2024, 10, 17)
    assert works["математика"].track == "open_archive"
    assert works["история"].scope_key == f"s{world.school2}"
    assert works["история"].track == "encrypted_archive"
    # A school outside the office's municipality is refused by its code.
    outside = HEADER + "Физика;7;16.10.2024;20.10.2024;v1\n"
    result = await vpr_plan.import_plan(session, office, "plan.csv", outside.encode(), NOW)
    assert [p.reason for p in result.problems] == ["plan_unknown_school"]


async def test_an_operator_uploads_no_plan(session: AsyncSession) -> None:
    _, _, operator, _ = await _people(session)
    with pytest.raises(Refused, match="forbidden"):
        await vpr_plan.import_plan(session, operator, "plan.csv", HEADER.encode(), NOW)


async def test_marking_needs_the_form_and_keeps_who_and_when(session: AsyncSession) -> None:
    world, _, first, second = await _people(session)
    passport = calendars()["school_passport"]
    with pytest.raises(Refused, match="step_needs_form"):
        await marks.mark_done(session, first, passport, world.school1, "school_details", NOW)
    with pytest.raises(Refused, match="forbidden"):
        await marks.mark_done(session, second, passport, world.school1, "students_1_8", NOW)
    form = marks.SignedForm("file-123", "vyverka.pdf")
    await marks.mark_done(session, first, passport, world.school1, "school_details", NOW, form)
    mark = (await session.scalars(select(StepMark))).one()
    assert (mark.file_id, mark.file_name, mark.done_by_id) == (
        "file-123",
        "vyverka.pdf",
        first.user.id,
    )
    assert mark.done_at == NOW
    with pytest.raises(Refused, match="step_already_done"):
        await marks.mark_done(session, first, passport, world.school1, "school_details", NOW, form)
    with pytest.raises(Refused, match="step_unknown"):
        await marks.mark_done(session, first, passport, world.school1, "no_such_step", NOW)


async def test_the_lagging_school_comes_first(session: AsyncSession) -> None:
    world, office, first, _ = await _people(session)
    passport = calendars()["school_passport"]
    form = marks.SignedForm("f", "f.pdf")
    await marks.mark_done(session, first, passport, world.school1, "school_details", NOW, form)
    later = dt.datetime(2024, 10, 2, tzinfo=UTC)
    lags = await monitor.lagging(session, office, passport, later)
    assert [lag.place.school_id for lag in lags] == [world.school2, world.school1]
    assert [lag.overdue for lag in lags] == [1, 0]
    assert lags[1].done == 1
    with pytest.raises(Refused, match="forbidden"):
        await monitor.lagging(session, first, passport, later)


async def test_nudges_once_a_day_cancelled_when_done_or_muted(session: AsyncSession) -> None:
    world, _, first, second = await _people(session)
    every = calendars()
    queued = await nudges.plan_nudges(session, every, NOW)
    assert queued > 0
    assert await nudges.plan_nudges(session, every, NOW) == 0
    rows = list(await session.scalars(select(Outbox)))
    keys = [(r.user_id, r.key.split(":")[3], r.due_at.date()) for r in rows]
    assert len(keys) == len(set(keys))  # one per person, step and day
    assert all(r.due_at < (r.expires_at or r.due_at) for r in rows)

    form = marks.SignedForm("f", "f.pdf")
    passport = every["school_passport"]
    await marks.mark_done(session, first, passport, world.school1, "school_details", NOW, form)
    rows_now = await session.execute(
        select(Outbox.user_id, Outbox.status).where(Outbox.key.contains(":school_details:"))
    )
    done = {user_id: status for user_id, status in rows_now}
    assert done == {first.user.id: OutboxStatus.CANCELLED, second.user.id: OutboxStatus.PENDING}

    assert await toggle_mute(session, second.user.id, "school_passport", NOW)
    left = await session.scalar(
        select(func.count()).where(
            Outbox.user_id == second.user.id, Outbox.status == OutboxStatus.PENDING
        )
    )
    assert left == 0
    assert await nudges.plan_nudges(session, every, NOW) == 0  # muted: nothing new
    assert not await toggle_mute(session, second.user.id, "school_passport", NOW)


async def test_due_lists_a_schools_steps_and_a_monitors_once(session: AsyncSession) -> None:
    _, office, first, _ = await _people(session)
    every = calendars()
    mine = await calendar_due(session, first.user.id, every, NOW)
    assert mine[0].label_ru.startswith("Внесение и актуализация общих сведений")
    assert all(item.step.due_at > NOW for item in mine)
    assert [i.step.due_at for i in mine] == sorted(i.step.due_at for i in mine)
    watched = await calendar_due(session, office.user.id, every, NOW)
    codes = [item.uid for item in watched]
    assert len(codes) == len(set(codes))
    # The office's own step of the passport (proposals of exam point staff) is there once.
    assert sum("staff_proposals_gia11" in uid for uid in codes) == 1
    assert sum("school_details" in uid for uid in codes) == 1  # not once per school


async def test_an_office_step_that_needs_the_signed_form(session: AsyncSession) -> None:
    """The office's own step, made to need the signed form: refused without it, kept with it,
    once; the office of another municipality and a school's operator are refused."""
    passport = calendars()["school_passport"]
    planning = passport.tracks["planning"]
    steps = [
        rule.model_copy(update={"signed_form": rule.code == "staff_proposals_gia11"})
        for rule in planning.steps
    ]
    tracks = {**passport.tracks, "planning": planning.model_copy(update={"steps": steps})}
    calendar = passport.model_copy(update={"tracks": tracks})
    april = dt.datetime(2025, 4, 5, 3, 0, tzinfo=UTC)
    world, office, first, _second = await _people(session)
    port = await staff(session, 13, "МОУО юг", Role.MUNICIPAL_OFFICE, world.muni(world.port))
    city = await offices.office_of(session, ORG_MUNICIPALITY, world.city)
    item = "staff_proposals_gia11"
    with pytest.raises(Refused, match="step_needs_form"):
        await offices.mark_office_done(session, office, calendar, city, item, april)
    for someone in (port, first):
        with pytest.raises(Refused, match="forbidden"):
            await offices.mark_office_done(
                session, someone, calendar, city, item, april, marks.SignedForm("f", "f.pdf")
            )
    form = marks.SignedForm("file-1", "svodka.pdf")
    line = await offices.mark_office_done(session, office, calendar, city, item, april, form)
    assert line.done and line.mark is not None and line.mark.file_name == "svodka.pdf"
    with pytest.raises(Refused, match="step_already_done"):
        await offices.mark_office_done(session, office, calendar, city, item, april, form)
    stored = (await session.scalars(select(StepMark))).one()
    assert (stored.org_kind, stored.org_id, stored.file_id) == (
        ORG_MUNICIPALITY,
        world.city,
        "file-1",
    )
