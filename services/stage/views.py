"""Previews shaped for the screens: plain values the templates print, in the reader's language
for names (the templates translate the fixed words)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models.enums import EventStatus
from services.reference.reference_data import ReferenceData
from services.rules.deadlines import shown_deadline
from services.rules.lifecycle import EXCEPTIONAL, ORDER
from services.stage.event_edit import dates_text
from services.stage.events import EventFacts
from services.stage.schedule import SchedulePreview
from services.stage.status import StatusPreview
from services.stage.values import grade_label


def schedule_view(
    preview: SchedulePreview, ref: ReferenceData, locale: str
) -> list[dict[str, str]]:
    """One line per event the schedule would create."""
    lines = []
    for event in preview.events:
        subject = ref.subject(event.subject_code)
        lines.append(
            {
                "subject": subject.name_en if locale == "en" else subject.name_ru,
                "dates": dates_text(
                    event.held_on, event.grade_dates, event.grade_min, event.grade_max
                ),
                "grades": grade_label(event.grade_min, event.grade_max),
            }
        )
    return lines


def closed_view(
    preview: SchedulePreview, ref: ReferenceData, locale: str, zone: str
) -> list[dict[str, Any]]:
    """The events whose registration would be closed from the start, and since when."""
    lines = []
    for event in preview.events:
        if (deadline := preview.closed.get(event.row)) is not None:
            subject = ref.subject(event.subject_code)
            lines.append(
                {
                    "subject": subject.name_en if locale == "en" else subject.name_ru,
                    "closed": shown_deadline(deadline, zone),
                }
            )
    return lines


def status_view(preview: StatusPreview, locale: str) -> dict[str, Any]:
    found = preview.plan
    return {
        "target": str(found.target),
        "counts": [(str(a), str(b), n) for a, b, n in found.counts()],
        "changes": [
            {
                "subject": preview.events[c.event_id].subject(locale),
                "exceptional": c.move in EXCEPTIONAL,
            }
            for c in found.changes
        ],
        "blocked": [
            {
                "subject": preview.events[b.event_id].subject(locale),
                "current": str(b.current),
                "block": str(b.block),
            }
            for b in found.blocked
        ],
        "needs_reason": found.needs_reason,
    }


def status_counts(events: Iterable[EventFacts]) -> list[tuple[str, int]]:
    """How many events are in each status, in lifecycle order, zeros left out."""
    statuses = [e.status for e in events]
    order = (*ORDER, EventStatus.CANCELLED)
    return [(str(s), statuses.count(s)) for s in order if s in statuses]
