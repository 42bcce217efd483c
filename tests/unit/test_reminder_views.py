"""What a reminder says: local and Moscow time, digests, buttons, the calendar file."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.utils.i18n import I18n
from icalendar import Calendar

import handlers
from bot.i18n import build_i18n
from calendars.schema import Audience, StepKind
from calendars.steps import Step
from models.enums import Level
from models.outbox import Outbox, OutboxKind
from reminders.compose import TEXT_LIMIT, compose
from reminders.due import DueItem
from reminders.ics import export
from reminders.people import Person
from reminders.prefs import DEFAULT_PREFS
from reminders.views import EventInfo, when_line
from ui.callbacks.reminders import PrefAct, RemAct, ReminderCb, RemPrefCb

MOSCOW, SAKHALIN = "Europe/Moscow", "Asia/Sakhalin"
UPLOAD = dt.datetime(2026, 4, 15, 20, 0, tzinfo=dt.UTC)  # 23:00 in Moscow


@pytest.fixture(scope="module")
def i18n() -> Iterator[I18n]:
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        yield i18n


def test_moscow_deadline_shown_to_sakhalin_as_next_morning(i18n: I18n) -> None:
    assert when_line(UPLOAD, MOSCOW, SAKHALIN) == (
        "16 апреля 2026, 07:00 (15 апреля, 23:00 по московскому времени)"
    )
    assert when_line(UPLOAD, MOSCOW, MOSCOW) == "15 апреля 2026, 23:00"
    assert when_line(UPLOAD, SAKHALIN, SAKHALIN) == "16 апреля 2026, 07:00"  # a local rule


def test_midnight_deadline_reads_as_the_end_of_the_day(i18n: I18n) -> None:
    midnight = dt.datetime(2026, 2, 28, 21, 0, tzinfo=dt.UTC)  # 1 March 00:00 in Moscow
    assert when_line(midnight, MOSCOW, MOSCOW) == "28 февраля 2026, 23:59"
    with i18n.use_locale("en"):
        assert when_line(UPLOAD, MOSCOW, SAKHALIN) == (
            "16 April 2026, 07:00 (15 April, 23:00 Moscow time)"
        )


def reminder(row_id: int, event_id: int, due: dt.datetime) -> Outbox:
    return Outbox(id=row_id, key=f"reminder:1:{event_id}:registration_closes:{row_id}",
                  user_id=1, event_id=event_id, kind=OutboxKind.REMINDER,
                  step="registration_closes", audience="curator", due_at=due, step_at=due,
                  step_zone=SAKHALIN, attempts=1)  # fmt: skip


def test_twenty_four_subjects_one_message(i18n: I18n) -> None:
    person = Person(1, 100, "ru", SAKHALIN, None)
    events = {e: EventInfo(Level.SCHOOL, f"Предмет {e}", f"Subject {e}") for e in range(1, 25)}
    rows = [reminder(e, e, UPLOAD) for e in range(1, 25)]
    [message] = compose(person, rows, events, {}, i18n)
    assert sorted(message.row_ids) == list(range(1, 25))
    assert message.text.startswith("<b>24 напоминания</b>")
    assert message.text.count("Закрытие регистрации") == 24
    assert message.markup is not None and len(message.markup.inline_keyboard) == 1


def test_a_long_digest_is_split_under_the_limit(i18n: I18n) -> None:
    person = Person(1, 100, "ru", SAKHALIN, None)
    events = {e: EventInfo(Level.SCHOOL, "Очень длинное название " * 3, "x") for e in range(300)}
    rows = [reminder(e + 1, e, UPLOAD + dt.timedelta(minutes=e)) for e in range(300)]
    messages = compose(person, rows, events, {}, i18n)
    assert len(messages) > 1
    assert all(len(m.text) <= TEXT_LIMIT for m in messages)
    assert sorted(i for m in messages for i in m.row_ids) == list(range(1, 301))


def test_callback_data_fits_and_prefixes_are_unique() -> None:
    largest_id = 2**31 - 1  # ids are INTEGER columns
    biggest = [
        ReminderCb(act=RemAct.DONE, event_id=largest_id, step="s" * 40),
        RemPrefCb(act=PrefAct.UNMUTE, value=largest_id),
        RemPrefCb(act=PrefAct.DIGEST, value=-1),
    ]
    assert all(len(cb.pack().encode()) <= 64 for cb in biggest)
    modules = [
        importlib.import_module(f"handlers.{path.stem}")
        for path in Path(handlers.__file__).parent.glob("callbacks*.py")
    ]
    classes = {
        obj
        for module in modules
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, CallbackData) and obj is not CallbackData
    }
    prefixes = [cls.__prefix__ for cls in classes]  # type: ignore[attr-defined]
    assert len(prefixes) == len(set(prefixes))


def test_calendar_has_stable_uids_utc_times_and_alarms(i18n: I18n) -> None:
    step = Step("registration_closes", StepKind.DEADLINE, UPLOAD, MOSCOW, True,
                Audience.CURATOR, (Audience.CURATOR,))  # fmt: skip
    item = DueItem("42-registration_closes", step, Audience.CURATOR, Level.SCHOOL, 42,
                   "Математика", "Mathematics")  # fmt: skip
    monday = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    first = Calendar.from_ical(export([item], DEFAULT_PREFS, SAKHALIN, "ru", monday))
    later = Calendar.from_ical(export([item], DEFAULT_PREFS, SAKHALIN, "ru",
                                      monday + dt.timedelta(days=1)))  # fmt: skip
    [event] = first.walk("VEVENT")
    [again] = later.walk("VEVENT")
    assert str(event["UID"]) == str(again["UID"]) == "42-registration_closes@olymp-bot"
    assert int(again["SEQUENCE"]) > int(event["SEQUENCE"])
    assert event.decoded("DTSTART") == UPLOAD
    assert b"DTSTART:20260415T200000Z" in first.to_ical()
    assert str(event["SUMMARY"]) == "Закрытие регистрации — Математика, школьный этап"
    assert "по московскому времени" in str(event["DESCRIPTION"])
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in event.walk("VALARM"))
    assert triggers == [-dt.timedelta(days=7), -dt.timedelta(days=1)]
