"""Creating a stage from a schedule file: the row-by-row preview, then one confirmed write."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import PROJECT_ROOT
from models.audit import AuditEntry
from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent
from services.authz import Action
from services.errors import Refused
from services.stage.create import create_stage
from services.stage.file import template_workbook
from services.stage.schedule import preview_schedule
from services.stage.scope import Target, organiser_targets, resolve_target, target_code
from tests.support.stage_world import NOW, REF, StageWorld, count, world

__all__ = ["world"]
DATA = PROJECT_ROOT / "tests" / "data" / "schedules"


async def _target(session: AsyncSession, world: StageWorld, key: str, code: str) -> Target:
    return await resolve_target(session, world.staff[key], Action.CREATE_STAGE, code)


async def test_organisers_see_their_own_stages(session: AsyncSession, world: StageWorld) -> None:
    municipal = await organiser_targets(session, world.staff["municipal"])
    assert [(t.level, t.municipality_id) for t in municipal] == [
        (Level.SCHOOL, world.ys_id),
        (Level.MUNICIPAL, world.ys_id),
    ]
    regional = await organiser_targets(session, world.staff["regional"])
    assert [(t.level, t.region_id, t.municipality_id) for t in regional] == [
        (Level.REGIONAL, world.region_id, None)
    ]
    assert await organiser_targets(session, world.staff["curator"]) == []
    assert target_code(municipal[0]) == f"sm{world.ys_id}"


async def test_a_stage_outside_my_scope_or_level_is_refused(
    session: AsyncSession, world: StageWorld
) -> None:
    with pytest.raises(Refused) as refused:
        await _target(session, world, "municipal_kor", f"sm{world.ys_id}")
    assert refused.value.reason == "forbidden"
    with pytest.raises(Refused):
        await _target(session, world, "municipal", f"rr{world.region_id}")  # not an organiser
    with pytest.raises(Refused) as stale:
        await _target(session, world, "municipal", f"rm{world.ys_id}")  # a forged code
    assert stale.value.reason == "stale_choice"


async def test_preview_reports_every_row(session: AsyncSession, world: StageWorld) -> None:
    target = await _target(session, world, "municipal", f"sm{world.ys_id}")
    content = (DATA / "school_mixed.csv").read_bytes()
    preview = await preview_schedule(
        session, world.staff["municipal"], target, "schedule.csv", content, ref=REF, now=NOW
    )
    assert preview.school_year == 2026
    planned = {e.subject_code: e for e in preview.events}
    assert sorted(planned) == ["astronomy", "chemistry", "geography", "physics", "technology"]
    assert (planned["physics"].grade_min, planned["physics"].max_score) == (7, 40.0)
    assert (planned["chemistry"].grade_min, planned["chemistry"].grade_max) == (5, 11)
    geo = planned["geography"]
    assert geo.held_on == dt.date(2026, 10, 22)
    assert geo.grade_dates == {str(g): "2026-10-23" for g in range(7, 12)}
    problems = {e.row: (e.problem.reason, e.problem.details) for e in preview.errors}
    assert problems[6][0] == "stage_event_exists"  # the demo already has school mathematics
    assert problems[7] == ("stage_duplicate_row", {"row": 2})
    assert problems[8][0] == "stage_unknown_subject"
    assert problems[9][0] == "stage_date_outside_year"
    assert problems[10] == ("stage_grades_outside_level", {"grades": "1–11", "allowed": "5–11"})
    assert problems[11][0] == "stage_passing_above_max"
    assert len(preview.errors) == 6
    assert await count(session, AuditEntry) == 0  # a preview writes nothing


async def test_confirmed_schedule_creates_every_event_once(
    session: AsyncSession, world: StageWorld
) -> None:
    ident = world.staff["municipal"]
    target = await _target(session, world, "municipal", f"mm{world.ys_id}")
    content = (DATA / "municipal.yaml").read_bytes()
    preview = await preview_schedule(
        session, ident, target, "municipal.yaml", content, ref=REF, now=NOW
    )
    assert [e.row for e in preview.errors] == [12]  # chemistry is dated in the next year
    before = await count(session, OlympiadEvent)
    await session.commit()
    async with session.begin():
        ids = await create_stage(
            session,
            ident,
            target,
            preview.events,
            school_year=2026,
            draft=True,
            rules=REF.rules,
            now=NOW,
        )
    created = (await session.scalars(select(OlympiadEvent).where(OlympiadEvent.id.in_(ids)))).all()
    assert await count(session, OlympiadEvent) == before + 2
    assert {e.status for e in created} == {EventStatus.DRAFT}
    assert {e.scope_key for e in created} == {f"m{world.ys_id}"}
    informatics = next(e for e in created if e.grade_dates)
    assert informatics.held_on == dt.date(2026, 11, 21)
    assert informatics.grade_dates == {"9": "2026-11-22", "10": "2026-11-22", "11": "2026-11-22"}
    entry = (await session.scalars(select(AuditEntry))).one()
    assert entry.action == "stage_create"
    assert entry.after is not None and entry.after["event_ids"] == ids
    # The same rows again: the database already holds them, and nothing half-done is left.
    await session.commit()
    with pytest.raises(Refused) as refused:
        async with session.begin():
            await create_stage(
                session,
                ident,
                target,
                preview.events,
                school_year=2026,
                draft=False,
                rules=REF.rules,
                now=NOW,
            )
    assert refused.value.reason == "stage_changed"
    assert await count(session, OlympiadEvent) == before + 2
    assert await count(session, AuditEntry) == 1


async def test_template_lists_every_subject_with_default_grades() -> None:
    workbook = load_workbook(io.BytesIO(template_workbook(REF, "school")), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Предмет", "Дата", "Классы")
    grades = {row[0]: row[2] for row in rows[1:]}
    assert len(grades) == 24
    assert grades["Математика"] == "4–11" and grades["Физика"] == "5–11"


async def test_filled_template_round_trips(session: AsyncSession, world: StageWorld) -> None:
    workbook = load_workbook(io.BytesIO(template_workbook(REF, "regional")))
    sheet = workbook.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=2).value = dt.date(2027, 1, 10 + row % 15)
    buffer = io.BytesIO()
    workbook.save(buffer)
    target = await _target(session, world, "regional", f"rr{world.region_id}")
    preview = await preview_schedule(
        session,
        world.staff["regional"],
        target,
        "regional.xlsx",
        buffer.getvalue(),
        ref=REF,
        now=NOW,
    )
    assert preview.errors == []
    assert len(preview.events) == 24
    assert {(e.grade_min, e.grade_max) for e in preview.events} == {(9, 11)}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("schedule.pdf", b"%PDF-1.4", "file_wrong_type"),
        ("schedule.csv", b"", "file_empty"),
        ("schedule.csv", "Дата;Классы\n01.10.2026;5-11\n".encode(), "file_missing_columns"),
        ("schedule.xlsx", b"not a zip at all", "file_wrong_type"),
    ],
)
async def test_a_bad_file_is_refused_whole(
    session: AsyncSession, world: StageWorld, name: str, content: bytes, reason: str
) -> None:
    target = await _target(session, world, "municipal", f"sm{world.ys_id}")
    with pytest.raises(Refused) as refused:
        await preview_schedule(
            session, world.staff["municipal"], target, name, content, ref=REF, now=NOW
        )
    assert refused.value.reason == reason


async def test_cp1251_file_is_read(session: AsyncSession, world: StageWorld) -> None:
    text = 'Предмет;Дата;Даты по классам\nФизика;;"5-8: 20.10.2026; 9-11: 21.10.2026"\n'
    target = await _target(session, world, "municipal", f"sm{world.ys_id}")
    preview = await preview_schedule(
        session, world.staff["municipal"], target, "s.csv", text.encode("cp1251"), ref=REF, now=NOW
    )
    assert preview.errors == []
    (physics,) = preview.events
    assert physics.held_on == dt.date(2026, 10, 20)
    assert physics.grade_dates == {"9": "2026-10-21", "10": "2026-10-21", "11": "2026-10-21"}


async def test_untouched_template_rows_are_skipped_not_reported(
    session: AsyncSession, world: StageWorld
) -> None:
    workbook = load_workbook(io.BytesIO(template_workbook(REF, "regional")))
    sheet = workbook.worksheets[0]
    for row in range(2, 6):  # four subjects filled in, twenty left as the template has them
        sheet.cell(row=row, column=2).value = dt.date(2027, 1, 10 + row)
    sheet.cell(row=6, column=4).value = "онлайн"  # a place but no date: a real mistake
    buffer = io.BytesIO()
    workbook.save(buffer)
    target = await _target(session, world, "regional", f"rr{world.region_id}")
    preview = await preview_schedule(
        session,
        world.staff["regional"],
        target,
        "regional.xlsx",
        buffer.getvalue(),
        ref=REF,
        now=NOW,
    )
    assert len(preview.events) == 4
    assert [(e.row, e.problem.reason) for e in preview.errors] == [(6, "stage_no_date")]
    assert preview.skipped == 19


async def test_a_past_date_is_a_row_error(session: AsyncSession, world: StageWorld) -> None:
    target = await _target(session, world, "municipal", f"sm{world.ys_id}")
    schedule = (
        "Предмет;Дата;Классы;Даты по классам\n"
        "Физика;01.10.2026;7-11;\n"
        "Химия;06.10.2026;9-11;\n"  # today in Sakhalin
        "Астрономия;20.10.2026;5-11;5-6: 03.10.2026\n"
    )
    preview = await preview_schedule(
        session,
        world.staff["municipal"],
        target,
        "schedule.csv",
        schedule.encode(),
        ref=REF,
        now=NOW,
    )
    assert [e.subject_code for e in preview.events] == ["chemistry"]
    problems = {e.row: (e.problem.reason, e.problem.details) for e in preview.errors}
    assert problems == {
        2: ("stage_date_in_past", {"date": "01.10.2026", "today": "06.10.2026"}),
        4: ("stage_date_in_past", {"date": "03.10.2026", "today": "06.10.2026"}),
    }
