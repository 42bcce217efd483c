"""The catalog and the event card on a real database: what a student sees, in one statement."""

from __future__ import annotations

import datetime as dt

import pytest

from models.enums import EventStatus, Level
from services.catalog.card import event_card
from services.catalog.listing import CatalogFilter, catalog_page, subjects_open
from services.errors import Refused
from services.people.viewer import zone_of
from services.rules.eligibility import Ineligible
from tests.support.catalog_world import NOW, RULES, TODAY, World, i18n, titles, world

__all__ = ["i18n", "world"]  # fixtures used here


async def test_a_student_sees_the_events_of_their_town_region_year_and_grade(
    world: World,
) -> None:
    grade7 = await world.person("Ann", "s1", 7)
    grade9 = await world.person("Boris", "s2", 9)
    kholmsk = await world.person("Vera", "s3", 9)
    assert await titles(world, grade7) == ["history", "russian", "math", "math_m"]
    assert await titles(world, grade9) == ["history", "russian", "math", "math_m", "physics_r"]
    assert await titles(world, kholmsk) == ["math_kholmsk", "physics_r"]


async def test_filters_by_level_subject_and_status(world: World) -> None:
    who = await world.person("Boris", "s2", 9)
    math = world.subjects["math"].id
    assert await titles(world, who, CatalogFilter(level=Level.MUNICIPAL)) == ["math_m"]
    assert await titles(world, who, CatalogFilter(subject_id=math)) == ["math", "math_m"]
    finished = CatalogFilter(status=EventStatus.FINISHED)
    assert await titles(world, who, finished) == ["history"]
    subjects = await subjects_open(world.session, who, TODAY, "ru")
    assert [name for _, name in subjects] == ["Математика", "Русский язык", "Физика", "История"]


async def test_pages_count_and_a_stale_page_shows_the_first(world: World) -> None:
    who = await world.person("Boris", "s2", 9)
    second = await catalog_page(world.session, who, CatalogFilter(), 1, TODAY, "ru", 2)
    assert (second.page, second.pages, second.total, len(second.items)) == (1, 3, 5, 2)
    stale = await catalog_page(world.session, who, CatalogFilter(), 9, TODAY, "ru", 2)
    assert (stale.page, stale.items[0].event_id) == (0, world.events["history"].id)


async def test_without_school_or_grade_the_catalog_asks_for_them(world: World) -> None:
    for who, reason in (
        (await world.person("Nobody", None, None), "cat_no_school"),
        (await world.person("No grade", "s1", None), "cat_no_grade"),
    ):
        with pytest.raises(Refused) as refused:
            await catalog_page(world.session, who, CatalogFilter(), 0, TODAY, "ru")
        assert refused.value.reason == reason


async def test_card_shows_deadline_count_and_why_not(world: World) -> None:
    ann = await world.person("Ann", "s1", 7)
    zone = await zone_of(world.session, ann, "Europe/Moscow")  # what her Viewer holds
    card = await event_card(
        world.session,
        ann,
        ann,
        world.events["math"].id,
        NOW,
        RULES,
        locale="ru",
        zone=zone,
    )
    assert (card.subject, card.zone, card.registered_count) == ("Математика", "Asia/Sakhalin", 0)
    assert card.deadline == dt.datetime(2026, 10, 12, 13, 0, tzinfo=dt.UTC)
    assert card.can_register and card.time_left is not None and card.time_left.days == 6
    municipal = await event_card(
        world.session,
        ann,
        ann,
        world.events["math_m"].id,
        NOW,
        RULES,
        locale="en",
        zone=zone,
    )
    assert isinstance(municipal.verdict, Ineligible)
    assert municipal.verdict.reason == "reg_formed_by_organiser"
    assert not municipal.can_register


async def test_card_refuses_drafts_and_missing_events(world: World) -> None:
    ann = await world.person("Ann", "s1", 7)
    for event_id in (world.events["draft"].id, 987654):
        with pytest.raises(Refused) as refused:
            await event_card(
                world.session,
                ann,
                ann,
                event_id,
                NOW,
                RULES,
                locale="ru",
                zone="Europe/Moscow",
            )
        assert refused.value.reason == "cat_event_gone"
