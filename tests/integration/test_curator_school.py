"""The curator's school screens: students by grade, events, ticking and registering, overview."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Level
from models.olympiad import OlympiadEvent
from services.curator.bulk import register_many
from services.curator.card import student_card
from services.curator.overview import school_overview
from services.curator.picking import candidates_page, grade_choices, grade_student_ids
from services.curator.school import curated_schools, grade_counts, students_page
from services.errors import Refused
from tests.support.curator_world import (
    NOW,
    add_curator,
    add_student,
    build_world,
    counts,
    i18n_context,
    registered_names,
)

pytestmark = pytest.mark.usefixtures(i18n_context.__name__)


async def test_students_by_grade_with_pages(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    for i in range(12):
        await add_student(
            session, world.school_a, 7, f"Ученик {i:02d}", tg_id=2000 + i if i < 3 else None
        )
    await add_student(session, world.school_a, 9, "Девятиклассник")
    await add_student(session, world.school_b, 7, "Чужой Ученик")
    schools = await curated_schools(session, curator)
    assert [s.id for s in schools] == [world.school_a]
    school, grades = await grade_counts(session, curator, world.school_a)
    assert school.name == "МАОУ СОШ № 1 г. Южно-Сахалинска"
    assert [(g.grade, g.students, g.with_telegram) for g in grades] == [(7, 12, 3), (9, 1, 0)]
    first = await students_page(session, curator, world.school_a, grade=7, page=0, now=NOW)
    assert (first.total, first.pages, len(first.items)) == (12, 2, 10)
    assert first.items[0].full_name == "Ученик 00" and first.items[0].has_telegram
    second = await students_page(session, curator, world.school_a, grade=7, page=1, now=NOW)
    assert [s.full_name for s in second.items] == ["Ученик 10", "Ученик 11"]
    stale = await students_page(session, curator, world.school_a, grade=7, page=9, now=NOW)
    assert stale.page == 0


async def test_another_schools_data_is_refused(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    other = await add_student(session, world.school_b, 7, "Чужой Ученик")
    math = world.events[("math", Level.SCHOOL)]
    before = await counts(session)
    for call in (
        grade_counts(session, curator, world.school_b),
        students_page(session, curator, world.school_b, grade=7, page=0, now=NOW),
        student_card(session, curator, world.school_b, other.id, NOW),
        grade_choices(session, curator, world.school_b, math, world.ref.rules, NOW),
        register_many(
            session, curator, world.school_b, math, [other.id], rules=world.ref.rules, now=NOW
        ),
        school_overview(session, curator, world.school_b, rules=world.ref.rules, now=NOW),
        grade_counts(session, curator, 999_999),
    ):
        with pytest.raises(Refused) as info:
            await call
        assert info.value.reason == "forbidden"
    # Own school in the callback, another school's student in the selection.
    event, result = await register_many(
        session, curator, world.school_a, math, [other.id], rules=world.ref.rules, now=NOW
    )
    assert result.registered == [] and result.refused[0][1].reason == "unknown_student"
    with pytest.raises(Refused) as info:
        await student_card(session, curator, world.school_a, other.id, NOW)
    assert info.value.reason == "unknown_student"
    assert await counts(session) == before


async def test_curator_without_grant_is_told(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    nobody = type(curator)(user=curator.user)
    with pytest.raises(Refused) as info:
        await curated_schools(session, nobody)
    assert info.value.reason == "not_curator"


async def test_event_of_another_level_or_place_is_refused(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    municipal = world.events[("math", Level.MUNICIPAL)]
    for event_id, reason in ((municipal, "event_not_for_school"), (123_456, "unknown_event")):
        with pytest.raises(Refused) as info:
            await grade_choices(session, curator, world.school_a, event_id, world.ref.rules, NOW)
        assert info.value.reason == reason


async def test_tick_and_register(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    anna = await add_student(session, world.school_a, 7, "Петрова Анна", tg_id=3001)
    boris = await add_student(session, world.school_a, 7, "Борисов Борис")
    await add_student(session, world.school_a, 8, "Восьмой Вадим")
    little = await add_student(session, world.school_a, 3, "Малышев Миша")
    math = world.events[("math", Level.SCHOOL)]
    rules = world.ref.rules
    _, event, grades = await grade_choices(session, curator, world.school_a, math, rules, NOW)
    assert event.subject_ru == "Математика" and event.open
    assert [(g.grade, g.students, g.registered) for g in grades] == [(7, 2, 0), (8, 1, 0)]
    ids = await grade_student_ids(
        session, curator, world.school_a, math, grade=7, rules=rules, now=NOW
    )
    assert sorted(ids) == sorted([anna.id, boris.id])
    _, result = await register_many(
        session, curator, world.school_a, math, [*ids, little.id], rules=rules, now=NOW
    )
    assert result.registered == ["Борисов Борис", "Петрова Анна"]
    assert [(name, r.reason) for name, r in result.refused] == [
        ("Малышев Миша", "reg_grade_not_admitted")
    ]
    _, again = await register_many(
        session, curator, world.school_a, math, [anna.id], rules=rules, now=NOW
    )
    assert again.already == ["Петрова Анна"]
    page = await candidates_page(
        session, curator, world.school_a, math, grade=7, page=0, rules=rules, now=NOW
    )
    assert [(c.full_name, c.registered) for c in page.items] == [
        ("Борисов Борис", True),
        ("Петрова Анна", True),
    ]
    assert await registered_names(session, math) == ["Борисов Борис", "Петрова Анна"]
    with pytest.raises(Refused) as info:
        await register_many(session, curator, world.school_a, math, [], rules=rules, now=NOW)
    assert info.value.reason == "no_students_chosen"


async def test_closed_event_refuses_each_student(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    boris = await add_student(session, world.school_a, 7, "Борисов Борис")
    english = world.events[("english", Level.SCHOOL)]
    _, result = await register_many(
        session, curator, world.school_a, english, [boris.id], rules=world.ref.rules, now=NOW
    )
    assert [r.reason for _, r in result.refused] == ["reg_status_closed"]
    assert await registered_names(session, english) == []


async def test_overview_counts_by_subject_and_grade(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    rules = world.ref.rules
    math = world.events[("math", Level.SCHOOL)]
    students = [
        await add_student(session, world.school_a, g, f"Ученик {g}{i}")
        for g, i in ((5, 1), (5, 2), (9, 1))
    ]
    outsider = await add_student(session, world.school_b, 5, "Чужой")
    await register_many(
        session, curator, world.school_a, math, [s.id for s in students], rules=rules, now=NOW
    )
    other = await add_curator(session, world.school_b, tg_id=501)
    await register_many(session, other, world.school_b, math, [outsider.id], rules=rules, now=NOW)
    overview = await school_overview(session, curator, world.school_a, rules=rules, now=NOW)
    by_subject = {line.event.subject_ru: line for line in overview.lines}
    assert by_subject["Математика"].by_grade == ((5, 2), (9, 1))
    assert by_subject["Математика"].total == 3
    missing = [line.event.subject_ru for line in overview.missing]
    # Open for registration and nobody from the school yet; English and history are closed.
    assert missing == ["Русский язык", "Информатика", "Биология", "ОБЗР"]
    assert "Английский язык" in by_subject and not by_subject["Английский язык"].needs_attention
    assert "Математика" not in missing


async def test_student_card_lists_this_years_events(session: AsyncSession) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    boris = await add_student(session, world.school_a, 7, "Борисов Борис")
    math = world.events[("math", Level.SCHOOL)]
    await register_many(
        session, curator, world.school_a, math, [boris.id], rules=world.ref.rules, now=NOW
    )
    card = await student_card(session, curator, world.school_a, boris.id, NOW)
    assert (card.full_name, card.grade, card.has_telegram) == ("Борисов Борис", 7, False)
    assert [e.subject_ru for e in card.events] == ["Математика"]


async def test_student_card_shows_the_date_of_the_registration_grade(
    session: AsyncSession,
) -> None:
    world = await build_world(session)
    curator = await add_curator(session, world.school_a)
    boris = await add_student(session, world.school_a, 7, "Борисов Борис")
    math_id = world.events[("math", Level.SCHOOL)]
    await register_many(
        session, curator, world.school_a, math_id, [boris.id], rules=world.ref.rules, now=NOW
    )
    math = await session.get(OlympiadEvent, math_id)
    assert math is not None
    band_7 = math.held_on + dt.timedelta(days=1)
    band_8 = math.held_on + dt.timedelta(days=2)
    math.grade_dates = {"7": band_7.isoformat(), "8": band_8.isoformat()}
    boris.grade = 8  # moved up since: the registration keeps the grade it was made for
    await session.flush()
    card = await student_card(session, curator, world.school_a, boris.id, NOW)
    assert [(e.subject_ru, e.held_on) for e in card.events] == [("Математика", band_7)]
