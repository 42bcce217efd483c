"""The dated steps of each calendar for one school (pure once the plan works are read).

«Паспорт школы»: every step of its yearly tracks, keyed by the step code. ВПР: the steps of
each work of the plan-schedule that concerns the school, keyed "<work id>.<step code>"; only the
results upload is something a school does (the others say when materials become available).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from calendars.schema import Audience, Calendar, StepRule
from calendars.steps import Step, dates_year, step_of
from models.calendar_steps import ORG_MUNICIPALITY, ORG_REGION, ORG_SCHOOL, PlanWork

PASSPORT = "school_passport"
VPR = "vpr"
CALENDARS = (PASSPORT, VPR)
# Tracks of the passport dated by the year (the `exam` track needs each exam's day).
PASSPORT_TRACKS = ("collection", "planning")
# Steps a school marks done; None: every step of the calendar.
MARKABLE: dict[str, frozenset[str] | None] = {
    PASSPORT: None,
    VPR: frozenset({"results_uploaded"}),
}
ORG_OF: dict[Audience, str] = {
    Audience.SCHOOL: ORG_SCHOOL,
    Audience.EXAM_POINT: ORG_SCHOOL,
    Audience.MUNICIPAL_OFFICE: ORG_MUNICIPALITY,
    Audience.REGIONAL_CENTRE: ORG_REGION,
}


@dataclass(frozen=True)
class Item:
    calendar: str
    item: str  # the mark's key
    rule: StepRule
    step: Step
    work: PlanWork | None = None

    @property
    def org_kind(self) -> str:
        return ORG_OF.get(self.rule.responsible, ORG_SCHOOL)

    @property
    def markable(self) -> bool:
        codes = MARKABLE.get(self.calendar)
        return codes is None or self.rule.code in codes

    @property
    def tracked(self) -> bool:
        """Counted as lagging and nudged: a school's own markable step. Exam-point steps are
        shown but not tracked: the bot does not know which schools host an exam point."""
        return self.markable and self.rule.responsible == Audience.SCHOOL

    def title(self, locale: str) -> str:
        names = self.rule.title or {}
        return names.get("en" if locale == "en" else "ru") or names.get("ru") or self.rule.code


def year_of(calendar: Calendar, now: dt.datetime) -> int:
    """The school year a yearly calendar's dates are read in: the file's own, else this one."""
    return calendar.school_year if calendar.school_year is not None else dates_year(now.date())


def passport_items(calendar: Calendar, zone: str, now: dt.datetime) -> list[Item]:
    year = year_of(calendar, now)
    found = [
        Item(PASSPORT, rule.code, rule, step_of(rule, now.date(), zone, year))
        for code, track in calendar.tracks.items()
        if code in PASSPORT_TRACKS
        for rule in track.steps
    ]
    return sorted(found, key=lambda i: (i.step.due_at, i.item))


def vpr_track(subject: str, grade: int) -> str:
    """Seed 003: the open archive for grade 4, and grade 5 Russian and mathematics."""
    name = subject.strip().casefold()
    open_five = grade == 5 and (name.startswith("рус") or name.startswith("мат"))  # noqa: PLR2004
    return "open_archive" if grade == 4 or open_five else "encrypted_archive"  # noqa: PLR2004


def work_items(calendar: Calendar, works: Sequence[PlanWork], zone: str) -> list[Item]:
    found = []
    for work in works:
        anchors = {"W": work.work_on, "U": work.upload_on}
        for rule in calendar.track(work.track).steps:
            step = step_of(rule, anchors, zone)
            found.append(Item(VPR, f"{work.id}.{rule.code}", rule, step, work))
    return sorted(found, key=lambda i: (i.step.due_at, i.item))
