"""The due steps as an iCalendar file: stable UIDs, UTC times, an alarm per reminder offset.

Importing the file again updates the entries instead of adding copies: each entry keeps its
UID (`<event id>-<step>@olymp-bot`) and a SEQUENCE that grows with every export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aiogram.utils.i18n import gettext as _

from calendars.schema import StepKind
from reminders.due import DueItem
from reminders.prefs import Prefs, offsets_for
from reminders.texts import item_label, item_title
from reminders.views import when_line

if TYPE_CHECKING:
    from icalendar import Alarm, Event

UID_DOMAIN = "olymp-bot"
_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def calendar_bytes(
    items: Sequence[DueItem],
    *,
    title: Callable[[DueItem], str],
    description: Callable[[DueItem], str],
    alarms: Callable[[DueItem], Sequence[dt.timedelta]],
    now: dt.datetime,
    name: str,
) -> bytes:
    # Loaded on the first /calendar, not by every process at start (bench/memory.py).
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//olymp-bot//deadlines//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    sequence = int((now - _EPOCH).total_seconds() // 60)
    for item in items:
        calendar.add_component(_event(item, title(item), description(item), now, sequence))
        for offset in alarms(item):
            calendar.subcomponents[-1].add_component(_alarm(offset, title(item)))
    return bytes(calendar.to_ical())


def _event(item: DueItem, summary: str, text: str, now: dt.datetime, sequence: int) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"{item.uid}@{UID_DOMAIN}")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("last-modified", now.astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("dtstart", item.step.due_at.astimezone(dt.UTC))
    event.add("dtend", item.step.due_at.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", text)
    event.add("transp", "TRANSPARENT")
    return event


def _alarm(offset: dt.timedelta, summary: str) -> Alarm:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -offset)
    return alarm


def export(
    items: Sequence[DueItem], prefs: Prefs, zone: str, locale: str, now: dt.datetime
) -> bytes:
    """The person's due steps, named in their language, alarms at their reminder offsets."""

    def title(item: DueItem) -> str:
        return f"{item_label(item, locale)} — {item_title(item, locale)}"

    def alarms(item: DueItem) -> Sequence[dt.timedelta]:
        if item.step.kind != StepKind.DEADLINE:
            return ()
        return offsets_for(prefs, item.audience, item.step.code)

    return calendar_bytes(
        items, title=title, alarms=alarms, now=now, name=_("My deadlines"),
        description=lambda item: when_line(item.step.due_at, item.step.zone, zone),
    )  # fmt: skip
