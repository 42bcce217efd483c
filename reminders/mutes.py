"""Mutes: a whole event, a category of steps, or one step marked done (no more reminders)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.outbox import Mute

ALL: frozenset[str] = frozenset({"*"})  # the whole event is muted


def event_target(event_id: int) -> str:
    return f"event:{event_id}"


def step_target(step_code: str) -> str:
    return f"step:{step_code}"


def calendar_target(calendar: str) -> str:
    """A whole calendar muted (Паспорт школы, ВПР, ...): none of its nudges."""
    return f"cal:{calendar}"


def done_target(event_id: int, step_code: str) -> str:
    return f"done:{event_id}:{step_code}"


async def muted_steps(
    session: AsyncSession, event_id: int | None, only: Collection[int] | None = None
) -> dict[int, frozenset[str]]:
    """Per person, the step codes they do not want for this event (`ALL`: none of them)."""
    conditions: list[ColumnElement[bool]] = [Mute.target.like("step:%")]
    if event_id is not None:
        conditions += [
            Mute.target == event_target(event_id),
            Mute.target.like(f"done:{event_id}:%"),
        ]
    query = select(Mute.user_id, Mute.target).where(or_(*conditions))
    if only is not None:
        query = query.where(Mute.user_id.in_(list(only)))
    steps: dict[int, set[str]] = defaultdict(set)
    whole: set[int] = set()
    for user_id, target in await session.execute(query):
        if target.startswith("event:"):
            whole.add(user_id)
        else:
            steps[user_id].add(target.rsplit(":", 1)[1])
    found = {user_id: frozenset(codes) for user_id, codes in steps.items()}
    found.update(dict.fromkeys(whole, ALL))
    return found
