"""A parent's status message says which child each olympiad is about, as results do."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import EventStatus, Level
from services.authz import Action
from services.stage.scope import resolve_target
from services.stage.status import Selection, apply_change, preview_change
from tests.support.stage_world import (
    NOW,
    REF,
    StageWorld,
    i18n_context,
    link_parent,
    messages,
    register,
    world,
)

__all__ = ["i18n_context", "world"]  # fixtures used here
pytestmark = pytest.mark.usefixtures("i18n_context")


async def test_status_message_to_a_parent_of_two_names_each_child(
    session: AsyncSession, world: StageWorld
) -> None:
    async with session.begin():
        anya = await world.person(session, "Аня", school_id=world.schools[0], tg_id=5001)
        petya = await world.person(session, "Петя", school_id=world.schools[0], tg_id=5002)
        mother = await world.person(session, "Ольга", grade=None, tg_id=5003)
        for child in (anya, petya):
            await link_parent(session, mother, child)
        await register(session, await world.event_id(session, "math", Level.SCHOOL), anya)
        await register(session, await world.event_id(session, "russian", Level.SCHOOL), petya)
        ident = world.staff["municipal"]
        stage = await resolve_target(session, ident, Action.CHANGE_STATUS, f"sm{world.ys_id}")
        subjects = (world.subjects["math"], world.subjects["russian"])
        selection = Selection(stage=stage, subject_ids=subjects)
        preview = await preview_change(session, ident, selection, EventStatus.CONDUCTING, NOW)
    async with session.begin():
        await apply_change(
            session,
            ident,
            selection,
            EventStatus.CONDUCTING,
            fingerprint=preview.plan.fingerprint(),
            reason=None,
            rules=REF.rules,
            now=NOW,
        )
    text = (await messages(session))[mother.id][0]
    lines = text.splitlines()
    assert any("Математика" in line and "👤 Аня" in line for line in lines), text
    assert any("Русский язык" in line and "👤 Петя" in line for line in lines), text
    assert "👤" not in (await messages(session))[anya.id][0]
