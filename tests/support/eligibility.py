"""Facts for the eligibility rules: an event, a student and instants in a zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.settings import PROJECT_ROOT
from calendars.schema import Calendar
from models.enums import EventStatus, Level
from services.reference.loader import RULES_FILE, load_yaml_file
from services.rules import eligibility as el

SAKHALIN = "Asia/Sakhalin"  # UTC+11
MOSCOW = "Europe/Moscow"  # UTC+3
RULES = load_yaml_file(Path(PROJECT_ROOT) / "data" / "reference" / RULES_FILE, Calendar)
D = dt.date(2026, 10, 17)  # the stage day


def event(**changes: object) -> el.EventFacts:
    values: dict[str, object] = {
        "level": Level.SCHOOL,
        "status": EventStatus.REGISTRATION,
        "grade_min": 5,
        "grade_max": 11,
        "region_id": 65,
        "municipality_id": 7,
        "held_on": D,
    }
    values.update(changes)
    return el.EventFacts(**values)  # type: ignore[arg-type]


def student(**changes: object) -> el.StudentFacts:
    values: dict[str, object] = {
        "grade": 7,
        "school_id": 1,
        "municipality_id": 7,
        "region_id": 65,
        "zone": SAKHALIN,
    }
    values.update(changes)
    return el.StudentFacts(**values)  # type: ignore[arg-type]


def at(zone: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)  # type: ignore[misc]


def check(ev: el.EventFacts, st: el.StudentFacts, now: dt.datetime, **kw: bool) -> el.Verdict:
    return el.registration_check(ev, st, RULES, now, **kw)
