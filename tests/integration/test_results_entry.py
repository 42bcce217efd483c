"""Entering results: who may score whom, validation, typed lines and the organiser's settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.enums import EventStatus, Level, RegistrationState
from models.olympiad import OlympiadEvent, Registration
from services.errors import Refused
from services.results import cards as results
from services.results import entry as results_entry
from services.results import settings as results_settings
from tests.support.results_world import NOW, World, count, register, world

__all__ = ["world"]


@pytest.fixture
async def history(session: AsyncSession, world: World) -> dict[str, int]:
    """School-stage history of "ys" (max 50): two students of school 1, one of school 2."""
    async with session.begin():
        event = await world.event(
            session, "history", "history", Level.SCHOOL, municipality=world.ys
        )
        ivanov = await world.person(session, "Иванов Иван Петрович", world.school1, 9)
        petrova = await world.person(session, "Петрова Анна", world.school1, 10)
        sidorov = await world.person(session, "Сидоров Пётр", world.school2, 9)
        return {
            "event": event.id,
            "ivanov": (await register(session, event, ivanov)).id,
            "petrova": (await register(session, event, petrova)).id,
            "sidorov": (await register(session, event, sidorov)).id,
        }


async def score_of(session: AsyncSession, reg_id: int) -> float | None:
    return await session.scalar(select(Registration.score).where(Registration.id == reg_id))


async def test_curator_scores_own_student(
    session: AsyncSession, world: World, history: dict[str, int]
) -> None:
    async with session.begin():
        score = await results_entry.set_score(
            session, world.staff["curator1"], history["ivanov"], "37,5", NOW
        )
    assert score == 37.5
    reg = await session.get(Registration, history["ivanov"])
    assert reg is not None
    assert (reg.score, reg.state) == (37.5, RegistrationState.PARTICIPATED)
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "result_entered"))
    assert entry is not None and entry.after == {"score": 37.5}
    assert entry.school_id == world.school1.id


@pytest.mark.parametrize("who", ["curator3", "municipal", "municipal_kor", "regional"])
async def test_others_may_not_score_a_school_student(
    session: AsyncSession, world: World, history: dict[str, int], who: str
) -> None:
    """Seed 000: the school's curator enters school-stage results, nobody else."""
    with pytest.raises(Refused) as caught:
        async with session.begin():
            await results_entry.set_score(session, world.staff[who], history["ivanov"], "5", NOW)
    assert caught.value.reason == "forbidden"
    assert await score_of(session, history["ivanov"]) is None


async def test_curator_may_not_score_another_schools_student(
    session: AsyncSession, world: World, history: dict[str, int]
) -> None:
    with pytest.raises(Refused, match="forbidden"):
        async with session.begin():
            await results_entry.set_score(
                session, world.staff["curator1"], history["sidorov"], "5", NOW
            )


async def test_curator_sees_only_own_school_but_organiser_sees_all(
    session: AsyncSession, world: World, history: dict[str, int]
) -> None:
    event_id = history["event"]
    async with session.begin():
        mine = await results.participants_page(session, world.staff["curator1"], event_id, 0)
        card = await results.event_card(session, world.staff["curator1"], event_id, "ru")
        everyone = await results.participants_page(session, world.staff["municipal"], event_id, 0)
        organiser = await results.event_card(session, world.staff["municipal"], event_id, "ru")
    assert [p.name for p in mine.items] == ["Иванов Иван Петрович", "Петрова Анна"]
    assert (card.total, card.may_enter, card.organiser) == (2, True, False)
    assert len(everyone.items) == 3
    assert (organiser.total, organiser.may_enter, organiser.organiser) == (3, False, True)
    with pytest.raises(Refused, match="forbidden"):
        await results.event_card(session, world.staff["curator3"], event_id, "ru")


@pytest.mark.parametrize(
    ("text", "reason"),
    [("51", "res_score_out_of_range"), ("много", "res_bad_score"), ("-3", "res_bad_score")],
)
async def test_bad_scores_are_refused(
    session: AsyncSession, world: World, history: dict[str, int], text: str, reason: str
) -> None:
    with pytest.raises(Refused) as caught:
        async with session.begin():
            await results_entry.set_score(
                session, world.staff["curator1"], history["ivanov"], text, NOW
            )
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    "status", [EventStatus.REGISTRATION, EventStatus.CONDUCTING, EventStatus.FINISHED]
)
async def test_results_only_while_summarizing(
    session: AsyncSession, world: World, history: dict[str, int], status: EventStatus
) -> None:
    async with session.begin():
        event = await session.get(OlympiadEvent, history["event"])
        assert event is not None
        event.status = status
    with pytest.raises(Refused, match="res_results_not_open"):
        async with session.begin():
            await results_entry.set_score(
                session, world.staff["curator1"], history["ivanov"], "10", NOW
            )


async def test_maximum_must_be_set_first(
    session: AsyncSession, world: World, history: dict[str, int]
) -> None:
    async with session.begin():
        event = await session.get(OlympiadEvent, history["event"])
        assert event is not None
        event.max_score = None
    with pytest.raises(Refused, match="res_max_score_not_set"):
        async with session.begin():
            await results_entry.set_score(
                session, world.staff["curator1"], history["ivanov"], "10", NOW
            )
    with pytest.raises(Refused, match="forbidden"):  # the curator is not the organiser
        async with session.begin():
            await results_settings.set_max_score(
                session, world.staff["curator1"], history["event"], "40", NOW
            )
    async with session.begin():
        value = await results_settings.set_max_score(
            session, world.staff["municipal"], history["event"], "40", NOW
        )
    assert value == 40
    assert await count(session, AuditEntry) == 1


async def test_typed_lines_are_saved_and_problems_reported(
    session: AsyncSession, world: World, history: dict[str, int]
) -> None:
    text = (
        "Иванов Иван — 99\n"
        "анна петрова: 12\n"
        "Сидоров Пётр — 20\n"  # school 2: not the curator's student
        "Иванов Иван — 40\n"
        "Петров — 5\n"
        "Нет Такого — 5\n"
        "Петрова Анна — 13\n"  # twice
    )
    async with session.begin():
        outcomes = await results_entry.apply_entries(
            session,
            world.staff["curator1"],
            history["event"],
            results_entry.parse_lines(text),
            now=NOW,
            source="chat",
        )
    problems = {o.number: o.problem.reason if o.problem else None for o in outcomes}
    assert problems == {
        1: "res_score_out_of_range",
        2: None,
        3: "res_person_not_found",
        4: None,
        5: "res_name_too_short",
        6: "res_person_not_found",
        7: "res_duplicate_row",
    }
    scores = {k: await score_of(session, history[k]) for k in ("ivanov", "petrova", "sidorov")}
    assert scores == {"ivanov": 40.0, "petrova": 12.0, "sidorov": None}
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "results_upload"))
    assert entry is not None and entry.after == {"source": "chat", "saved": 2, "failed": 5}


async def test_namesakes_are_told_apart_by_grade(
    session: AsyncSession, world: World, history: dict[str, int]
) -> None:
    async with session.begin():
        event = await session.get(OlympiadEvent, history["event"])
        assert event is not None
        twin = await world.person(session, "Иванов Иван Сергеевич", world.school1, 11)
        twin_reg = await register(session, event, twin)
        entries = [
            results_entry.Entry(2, results_entry.GivenName("Иванов", "Иван"), "10", grade=11),
            results_entry.Entry(3, results_entry.GivenName("Иванов", "Иван"), "11"),
        ]
        outcomes = await results_entry.apply_entries(
            session, world.staff["curator1"], event.id, entries, now=NOW, source="file"
        )
    assert [o.problem.reason if o.problem else None for o in outcomes] == [
        None,
        "res_person_ambiguous",
    ]
    assert await score_of(session, twin_reg.id) == 10


async def test_organiser_sets_passing_scores_and_cannot_lower_max_below_scores(
    session: AsyncSession, world: World, history: dict[str, int]
) -> None:
    event_id = history["event"]
    async with session.begin():
        await results_entry.set_score(
            session, world.staff["curator1"], history["ivanov"], "45", NOW
        )
        await results_settings.set_passing(
            session, world.staff["municipal"], event_id, "20; 10-11: 25", NOW
        )
    event = await session.get(OlympiadEvent, event_id)
    assert event is not None
    assert (event.passing_score, event.passing_scores) == (20, {"10": 25, "11": 25})
    with pytest.raises(Refused, match="res_max_below_scores"):
        async with session.begin():
            await results_settings.set_max_score(
                session, world.staff["municipal"], event_id, "40", NOW
            )
    with pytest.raises(Refused, match="forbidden"):
        async with session.begin():
            await results_settings.set_passing(
                session, world.staff["municipal_kor"], event_id, "20", NOW
            )


async def test_results_list_shows_only_my_events(
    session: AsyncSession, world: World, history: dict[str, int]
) -> None:
    async with session.begin():
        await world.event(session, "kor_math", "math", Level.SCHOOL, municipality=world.kor)
        await world.event(
            session,
            "closed",
            "physics",
            Level.SCHOOL,
            municipality=world.ys,
            status=EventStatus.CONDUCTING,
        )
        seen = {
            who: [e.subject for e in await results.my_events(session, world.staff[who], "ru")]
            for who in ("curator1", "curator3", "municipal", "municipal_kor", "regional")
        }
    assert seen == {
        "curator1": ["История"],
        "curator3": ["Математика"],
        "municipal": ["История"],
        "municipal_kor": ["Математика"],
        "regional": [],
    }
