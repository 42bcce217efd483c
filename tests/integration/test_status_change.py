"""Status changes: preview, one transaction for many events, one message per person."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.enums import EventStatus, Level
from models.people import User
from services.authz import Action
from services.errors import Refused
from services.notify import notify
from services.stage.scope import resolve_target
from services.stage.status import Selection, apply_change, preview_change
from tests.support.stage_world import (
    NOW,
    REF,
    StageWorld,
    count,
    i18n_context,
    link_parent,
    messages,
    register,
    statuses,
    world,
)

__all__ = ["i18n_context", "world"]
pytestmark = pytest.mark.usefixtures("i18n_context")


async def _people(session: AsyncSession, world: StageWorld) -> dict[str, User]:
    """Two students of two schools, a parent, and registrations for school-stage events."""
    async with session.begin():
        anya = await world.person(session, "Аня", school_id=world.schools[0], tg_id=5001)
        boris = await world.person(
            session, "Борис", school_id=world.schools[1], tg_id=5002, grade=7
        )
        mother = await world.person(session, "Мама Ани", grade=None, tg_id=5003)
        await link_parent(session, mother, anya)
        for subject in ("math", "russian"):
            await register(session, await world.event_id(session, subject, Level.SCHOOL), anya)
        for subject in ("math", "biology"):
            await register(session, await world.event_id(session, subject, Level.SCHOOL), boris)
    return {"anya": anya, "boris": boris, "mother": mother}


async def _stage(session: AsyncSession, world: StageWorld, key: str = "municipal") -> Selection:
    stage = await resolve_target(
        session, world.staff[key], Action.CHANGE_STATUS, f"sm{world.ys_id}"
    )
    return Selection(stage=stage)


async def _apply(
    session: AsyncSession,
    world: StageWorld,
    selection: Selection,
    target: EventStatus,
    reason: str | None = None,
    notifier: Callable[..., Any] = notify,
) -> Any:
    ident = world.staff["municipal"]
    if session.in_transaction():
        await session.commit()  # the reads before it; the change gets a transaction of its own
    async with session.begin():
        preview = await preview_change(session, ident, selection, target, NOW)
        return await apply_change(
            session,
            ident,
            selection,
            target,
            fingerprint=preview.plan.fingerprint(),
            reason=reason,
            rules=REF.rules,
            now=NOW,
            notifier=notifier,
        )


async def test_chosen_subjects_move_forward_with_one_message_each(
    session: AsyncSession, world: StageWorld
) -> None:
    people = await _people(session, world)
    subjects = tuple(world.subjects[s] for s in ("math", "russian", "biology"))
    selection = Selection(stage=(await _stage(session, world)).stage, subject_ids=subjects)
    await session.commit()
    done = await _apply(session, world, selection, EventStatus.CONDUCTING)
    assert done.changed == 3
    now = await statuses(session)
    for subject in ("math", "russian", "biology"):
        assert now[await world.event_id(session, subject, Level.SCHOOL)] == "conducting"
    assert now[await world.event_id(session, "informatics", Level.SCHOOL)] == "registration"
    sent = await messages(session)
    curator = world.staff["curator"].user.id
    # Anya, Boris, Anya's mother and the curator of Anya's school: one message each.
    assert sorted(sent) == sorted(
        [people["anya"].id, people["boris"].id, people["mother"].id, curator]
    )
    assert all(len(texts) == 1 for texts in sent.values())
    anya = sent[people["anya"].id][0]
    assert "Математика" in anya and "Русский язык" in anya and "Биология" not in anya
    assert "Биология" in sent[people["boris"].id][0]
    assert "Биология" not in sent[curator][0]  # Boris's school has no curator
    entries = (await session.scalars(select(AuditEntry))).all()
    assert len(entries) == 3
    for entry in entries:
        assert entry.before == {"status": "registration"}
        assert entry.after == {"status": "conducting", "move": "forward"}
        assert not entry.exceptional


async def test_skipping_and_going_back_need_a_reason(
    session: AsyncSession, world: StageWorld
) -> None:
    selection = await _stage(session, world)
    preview = await preview_change(
        session, world.staff["municipal"], selection, EventStatus.CONDUCTING, NOW
    )
    counts = {(str(a), str(b)): n for a, b, n in preview.plan.counts()}
    assert counts == {("registration", "conducting"): 5, ("summarizing", "conducting"): 1}
    assert [str(b.block) for b in preview.plan.blocked] == ["status_same"]
    assert preview.plan.needs_reason
    await session.commit()
    with pytest.raises(Refused) as refused:
        await _apply(session, world, selection, EventStatus.CONDUCTING)
    assert refused.value.reason == "status_reason_required"
    assert await count(session, AuditEntry) == 0
    await _apply(session, world, selection, EventStatus.CONDUCTING, reason="Перенос по приказу")
    history = await world.event_id(session, "history", Level.SCHOOL)
    entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    exceptional = [e for e in entries if e.exceptional]
    assert [e.target for e in exceptional] == [f"event:{history}"]
    assert exceptional[0].reason == "Перенос по приказу"
    assert exceptional[0].after == {"status": "conducting", "move": "back"}


async def test_a_failure_half_way_changes_nothing(
    session: AsyncSession, world: StageWorld
) -> None:
    await _people(session, world)
    before = await statuses(session)
    calls = 0

    async def failing(*args: Any, context: Callable[[User], Mapping[str, Any]], **kw: Any) -> int:
        def third_fails(user: User) -> Mapping[str, Any]:
            nonlocal calls
            calls += 1
            if calls == 3:
                raise RuntimeError("the outbox is down")
            return context(user)

        return await notify(*args, context=third_fails, **kw)

    subjects = tuple(world.subjects[s] for s in ("math", "russian", "biology"))
    selection = Selection(stage=(await _stage(session, world)).stage, subject_ids=subjects)
    await session.commit()
    with pytest.raises(RuntimeError):
        await _apply(session, world, selection, EventStatus.CONDUCTING, notifier=failing)
    assert calls == 3
    assert await statuses(session) == before
    assert await count(session, AuditEntry) == 0
    assert await messages(session) == {}


async def test_a_stale_preview_is_refused(session: AsyncSession, world: StageWorld) -> None:
    ident = world.staff["municipal"]
    math = await world.event_id(session, "math", Level.SCHOOL)
    selection = Selection(event_id=math)
    preview = await preview_change(session, ident, selection, EventStatus.CONDUCTING, NOW)
    await session.commit()
    await _apply(session, world, Selection(event_id=math), EventStatus.CANCELLED)
    with pytest.raises(Refused) as refused:
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
    assert refused.value.reason == "status_stale"
    assert (await statuses(session))[math] == "cancelled"


async def test_finished_events_cannot_be_cancelled(
    session: AsyncSession, world: StageWorld
) -> None:
    history = await world.event_id(session, "history", Level.SCHOOL)
    await session.commit()
    await _apply(session, world, Selection(event_id=history), EventStatus.FINISHED)
    preview = await preview_change(
        session, world.staff["municipal"], Selection(event_id=history), EventStatus.CANCELLED, NOW
    )
    assert preview.plan.changes == ()
    assert [str(b.block) for b in preview.plan.blocked] == ["status_final"]


@pytest.mark.parametrize(
    ("key", "level"),
    [("municipal_kor", Level.SCHOOL), ("regional", Level.SCHOOL), ("curator", Level.SCHOOL)],
)
async def test_others_cannot_change_the_status(
    session: AsyncSession, world: StageWorld, key: str, level: Level
) -> None:
    math = await world.event_id(session, "math", level)
    with pytest.raises(Refused) as refused:
        await preview_change(
            session, world.staff[key], Selection(event_id=math), EventStatus.CONDUCTING, NOW
        )
    assert refused.value.reason == "forbidden"
