"""Which outbox rows a set of recipients should have for an event's steps (pure).

Deadlines become reminders at each person's offsets; control points become one report at the
control instant (moved out of quiet hours). Every row carries an idempotency key made of the
kind, the recipient, the event (or the scope of a creation deadline), the step and the instant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from calendars.schema import Audience, Calendar, StepKind
from calendars.steps import CREATION_DUE, Step, steps_for_date
from models.enums import Level
from models.outbox import OutboxKind
from reminders.prefs import Prefs, reminder_instants, report_instant
from reminders.quiet import place

# A control-point report still makes sense this long after the control instant.
REPORT_GRACE = dt.timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: int
    audience: Audience
    step_zone: str  # the zone `local` rules are read in for this person (school or region)
    zone: str  # the person's own zone: quiet hours and display
    held_on: dt.date  # D for this person (a subject may sit on other days for other grades)
    prefs: Prefs
    only_steps: frozenset[str] | None = None  # None: every step the audience is named in
    muted_steps: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RowSpec:
    key: str
    user_id: int
    event_id: int | None
    kind: OutboxKind
    step: str
    audience: Audience
    due_at: dt.datetime
    step_at: dt.datetime
    step_zone: str
    expires_at: dt.datetime
    payload: dict[str, Any] | None = field(default=None, compare=False)
    topic: str | None = field(default=None, compare=False)  # see Outbox.topic


def row_key(kind: OutboxKind, user_id: int, subject: str, step: str, due_at: dt.datetime) -> str:
    return f"{kind.value}:{user_id}:{subject}:{step}:{due_at:%Y%m%dT%H%M}"


@dataclass(frozen=True, slots=True)
class Slot:
    """A row to be, minus its recipient: shared by everyone with the same steps and prefs."""

    kind: OutboxKind
    step: Step
    due_at: dt.datetime
    expires_at: dt.datetime
    key_tail: str  # step code and instant, the end of the idempotency key


def slots(
    steps: Iterable[Step], recipient: Recipient, now: dt.datetime | None = None
) -> tuple[Slot, ...]:
    """The rows the steps give one person (none for steps that do not concern them).

    Given `now`, a person whose every reminder of a step still ahead has passed (they register
    four days before a deadline they wanted a week's notice of) gets one reminder now, outside
    quiet hours, under the key of the latest missed moment: planning again finds that key and
    sends nothing twice. Someone with a reminder still to come waits for that one."""
    found = []
    for step in steps:
        if not step.concerns(recipient.audience) or step.code in recipient.muted_steps:
            continue
        if recipient.only_steps is not None and step.code not in recipient.only_steps:
            continue
        kind, expires, instants = _instants(
            step, recipient.audience, recipient.zone, recipient.prefs
        )
        if _all_missed(kind, step, instants, now):
            assert now is not None
            send = place(now, step.due_at, ZoneInfo(recipient.zone), recipient.prefs.quiet)
            tail = f"{step.code}:{max(instants):%Y%m%dT%H%M}"
            found.append(Slot(kind, step, send, expires, tail))
            continue
        for due_at in instants:
            tail = f"{step.code}:{due_at:%Y%m%dT%H%M}"
            found.append(Slot(kind, step, due_at, expires, tail))
    return tuple(found)


def _all_missed(
    kind: OutboxKind, step: Step, instants: tuple[dt.datetime, ...], now: dt.datetime | None
) -> bool:
    if now is None or kind != OutboxKind.REMINDER or not instants:
        return False
    return max(instants) < now < step.due_at


def rows(
    slots_: Iterable[Slot],
    recipient: Recipient,
    *,
    event_id: int | None,
    subject: str,
    payload: dict[str, Any] | None = None,
    topic: str | None = None,
) -> Iterator[RowSpec]:
    head = f":{recipient.user_id}:{subject}:"
    for slot in slots_:
        yield RowSpec(
            key=slot.kind.value + head + slot.key_tail,
            user_id=recipient.user_id,
            event_id=event_id,
            kind=slot.kind,
            step=slot.step.code,
            audience=recipient.audience,
            due_at=slot.due_at,
            step_at=slot.step.due_at,
            step_zone=slot.step.zone,
            expires_at=slot.expires_at,
            payload=payload,
            topic=topic,
        )


@lru_cache(maxsize=8192)
def _instants(
    step: Step, audience: Audience, zone_name: str, prefs: Prefs
) -> tuple[OutboxKind, dt.datetime, tuple[dt.datetime, ...]]:
    zone = ZoneInfo(zone_name)
    if step.kind == StepKind.CONTROL:
        expires = step.due_at + REPORT_GRACE
        return OutboxKind.CHECK, expires, (report_instant(step.due_at, expires, zone, prefs),)
    kind = OutboxKind.CHECK if step.code == CREATION_DUE else OutboxKind.REMINDER
    return kind, step.due_at, tuple(reminder_instants(step, audience, zone, prefs))


def rows_for_event(
    event_id: int,
    level: Level,
    recipients: Iterable[Recipient],
    rules: Calendar,
    now: dt.datetime | None = None,
) -> dict[str, RowSpec]:
    """Every row the event's recipients should have, by key. Most people share their steps and
    preferences with many others, so the slots are computed once per such profile."""
    steps_cache: dict[tuple[dt.date, str], list[Step]] = {}
    slots_cache: dict[tuple[object, ...], tuple[Slot, ...]] = {}
    found: dict[str, RowSpec] = {}
    subject = str(event_id)
    for recipient in recipients:
        profile = (
            recipient.held_on,
            recipient.step_zone,
            recipient.audience,
            recipient.zone,
            recipient.prefs,
            recipient.only_steps,
            recipient.muted_steps,
        )
        own = slots_cache.get(profile)
        if own is None:
            steps = steps_cache.get((recipient.held_on, recipient.step_zone))
            if steps is None:
                steps = steps_for_date(level, recipient.held_on, rules, recipient.step_zone)
                steps_cache[(recipient.held_on, recipient.step_zone)] = steps
            own = slots_cache[profile] = slots(steps, recipient, now)
        for row in rows(own, recipient, event_id=event_id, subject=subject):
            found[row.key] = row
    return found
