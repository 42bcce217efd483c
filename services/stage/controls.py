"""Where an event stands against its deadlines and control points (pure, from the rules data).

A control point is overdue when its instant has passed and what it checks is not done:
- `registration_control` (D − 5/10): the event was never published or nobody is registered;
- `results_control` (D + 15): some participants (not marked absent) still have no score;
- `close_control` (D + 15): the event is not finished.
Control points with other codes have no known check and are never reported overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from calendars.schema import REGISTRATION_CLOSES, Calendar, StepKind
from calendars.steps import Step, steps_for_date
from models.enums import EventStatus, Level

CLOSED = frozenset({EventStatus.FINISHED, EventStatus.CANCELLED})
REGISTRATION_CONTROL = "registration_control"
RESULTS_CONTROL = "results_control"
CLOSE_CONTROL = "close_control"
STAGE_DAY = "stage_day"
# The steps an event has left behind by reaching a status, whatever the calendar says: a
# stage moved on early must not be told that registration is its next step.
BEHIND: dict[EventStatus, frozenset[str]] = {
    EventStatus.CONDUCTING: frozenset({REGISTRATION_CLOSES, REGISTRATION_CONTROL}),
    EventStatus.SUMMARIZING: frozenset({REGISTRATION_CLOSES, REGISTRATION_CONTROL, STAGE_DAY}),
}


@dataclass(frozen=True)
class Progress:
    status: EventStatus
    registered: int
    expected: int  # registrations that should get a score (not marked absent)
    results: int


@dataclass(frozen=True)
class Standing:
    next_step: Step | None
    overdue: tuple[Step, ...]


def _undone(code: str, progress: Progress) -> bool:
    if code == REGISTRATION_CONTROL:
        return progress.status == EventStatus.DRAFT or progress.registered == 0
    if code == RESULTS_CONTROL:
        return progress.results < progress.expected
    if code == CLOSE_CONTROL:
        return progress.status != EventStatus.FINISHED
    return False


def standing(
    level: Level,
    held_on: dt.date,
    progress: Progress,
    *,
    rules: Calendar,
    zone: str,
    now: dt.datetime,
    steps: Sequence[Step] | None = None,
) -> Standing:
    """The next step still ahead that the event's status has not left behind, and the control
    points overdue; closed events owe nothing. `steps`: the event's steps, when the caller
    has them already (events of one stage day share them)."""
    if progress.status in CLOSED:
        return Standing(next_step=None, overdue=())
    if steps is None:
        steps = steps_for_date(level, held_on, rules, zone)
    behind = BEHIND.get(progress.status, frozenset())
    ahead = next((s for s in steps if s.due_at > now and s.code not in behind), None)
    overdue = tuple(
        s
        for s in steps
        if s.kind == StepKind.CONTROL and s.due_at <= now and _undone(s.code, progress)
    )
    return Standing(next_step=ahead, overdue=overdue)
