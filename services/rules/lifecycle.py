"""The status lifecycle of an olympiad event (DOMAIN.md); pure rules, no I/O.

draft → registration → conducting → summarizing → finished, and cancelled from any status that
is not finished. A forward step goes one status at a time; skipping statuses or going back
(restoring a cancelled event included) is an exceptional act that needs a reason.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from models.enums import EventStatus

ORDER: tuple[EventStatus, ...] = (
    EventStatus.DRAFT,
    EventStatus.REGISTRATION,
    EventStatus.CONDUCTING,
    EventStatus.SUMMARIZING,
    EventStatus.FINISHED,
)


class Move(StrEnum):
    FORWARD = "forward"  # the next status
    SKIP = "skip"  # further forward than the next status
    BACK = "back"  # an earlier status, or out of cancelled
    CANCEL = "cancel"


class Block(StrEnum):
    """Why an event cannot take the target status (also the refusal code)."""

    SAME = "status_same"
    FINAL = "status_final"  # a finished event's results stand: it cannot be cancelled


EXCEPTIONAL = frozenset({Move.SKIP, Move.BACK})


def classify(current: EventStatus, target: EventStatus) -> Move | Block:
    if current == target:
        return Block.SAME
    if target == EventStatus.CANCELLED:
        return Block.FINAL if current == EventStatus.FINISHED else Move.CANCEL
    if current == EventStatus.CANCELLED:
        return Move.BACK
    step = ORDER.index(target) - ORDER.index(current)
    if step == 1:
        return Move.FORWARD
    return Move.SKIP if step > 1 else Move.BACK


def needs_reason(move: Move) -> bool:
    return move in EXCEPTIONAL


def next_status(current: EventStatus) -> EventStatus | None:
    if current not in ORDER or current == ORDER[-1]:
        return None
    return ORDER[ORDER.index(current) + 1]


def targets(current: EventStatus) -> list[tuple[EventStatus, Move]]:
    """Every status the event may be moved to, the usual next step first."""
    found = []
    for status in (*ORDER, EventStatus.CANCELLED):
        move = classify(current, status)
        if isinstance(move, Move):
            found.append((status, move))
    found.sort(key=lambda item: item[1] != Move.FORWARD)
    return found


@dataclass(frozen=True)
class Change:
    event_id: int
    current: EventStatus
    target: EventStatus
    move: Move


@dataclass(frozen=True)
class Blocked:
    event_id: int
    current: EventStatus
    block: Block


@dataclass(frozen=True)
class Plan:
    target: EventStatus
    changes: tuple[Change, ...]
    blocked: tuple[Blocked, ...]

    @property
    def needs_reason(self) -> bool:
        return any(needs_reason(c.move) for c in self.changes)

    def counts(self) -> list[tuple[EventStatus, EventStatus, int]]:
        """How many events go from each status to the target, in lifecycle order."""
        tally = Counter(c.current for c in self.changes)
        order = (*ORDER, EventStatus.CANCELLED)
        return [(status, self.target, tally[status]) for status in order if tally[status]]

    def fingerprint(self) -> str:
        """Identifies exactly what a preview showed, so a confirmation of a stale one is caught."""
        parts = [str(self.target)] + [f"{c.event_id}:{c.current}" for c in self.changes]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def plan(events: Iterable[tuple[int, EventStatus]], target: EventStatus) -> Plan:
    changes: list[Change] = []
    blocked: list[Blocked] = []
    for event_id, current in sorted(events):
        verdict = classify(current, target)
        if isinstance(verdict, Block):
            blocked.append(Blocked(event_id, current, verdict))
        else:
            changes.append(Change(event_id, current, target, verdict))
    return Plan(target=target, changes=tuple(changes), blocked=tuple(blocked))
