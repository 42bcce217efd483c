"""One school's steps with their marks, and the schools of a scope that lag behind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.calendar_steps import ORG_SCHOOL, PlanWork, StepMark, marks_of
from services.calendar_steps.items import PASSPORT, VPR, Item, passport_items, work_items
from services.calendar_steps.places import Place


@dataclass(frozen=True)
class Line:
    item: Item
    mark: StepMark | None

    @property
    def done(self) -> bool:
        return self.mark is not None


@dataclass(frozen=True)
class Lag:
    place: Place
    overdue: int  # tracked steps past their date and not done
    done: int
    total: int
    next_due: dt.datetime | None  # the soonest tracked step ahead, not done


def scope_keys(place: Place) -> list[str]:
    return [f"s{place.school_id}", f"m{place.municipality_id}", f"r{place.region_id}"]


async def works_for(session: AsyncSession, places: list[Place]) -> dict[int, list[PlanWork]]:
    """The plan works that concern each school (for its school, municipality or region)."""
    keys = {key for place in places for key in scope_keys(place)}
    if not keys:
        return {}
    rows = list(
        await session.scalars(
            select(PlanWork).where(PlanWork.calendar == VPR, PlanWork.scope_key.in_(keys))
        )
    )
    by_key: dict[str, list[PlanWork]] = {}
    for work in rows:
        by_key.setdefault(work.scope_key, []).append(work)
    return {
        place.school_id: _narrowest(by_key, scope_keys(place)) for place in places
    }  # fmt: skip


def _narrowest(by_key: dict[str, list[PlanWork]], keys: list[str]) -> list[PlanWork]:
    """A school's own row beats its municipality's, which beats its region's (same work)."""
    chosen: dict[tuple[str, int], PlanWork] = {}
    for key in keys:
        for work in by_key.get(key, []):
            chosen.setdefault((work.subject.casefold(), work.grade), work)
    return list(chosen.values())


def items_of(
    calendar: Calendar, code: str, place: Place, works: list[PlanWork], now: dt.datetime
) -> list[Item]:
    if code == PASSPORT:
        return passport_items(calendar, place.zone, now)
    return work_items(calendar, works, place.zone)


async def boards(
    session: AsyncSession, calendar: Calendar, places: list[Place], now: dt.datetime
) -> dict[int, list[Line]]:
    """Each school's steps of the calendar (its own level), soonest first, with their marks."""
    works = await works_for(session, places) if calendar.code == VPR else {}
    marks = await marks_of(session, calendar.code, ORG_SCHOOL, [p.school_id for p in places])
    found: dict[int, list[Line]] = {}
    for place in places:
        items = items_of(calendar, calendar.code, place, works.get(place.school_id, []), now)
        found[place.school_id] = [
            Line(item, marks.get((item.item, place.school_id)))
            for item in items
            if item.org_kind == ORG_SCHOOL
        ]
    return found


def lag_of(place: Place, lines: list[Line], now: dt.datetime) -> Lag:
    tracked = [line for line in lines if line.item.tracked]
    open_ = [line for line in tracked if not line.done]
    overdue = sum(1 for line in open_ if line.item.step.due_at <= now)
    ahead = [line.item.step.due_at for line in open_ if line.item.step.due_at > now]
    done = len(tracked) - len(open_)
    return Lag(place, overdue, done, len(tracked), min(ahead, default=None))


def lagging_first(lags: list[Lag]) -> list[Lag]:
    """Most overdue steps first; then the one whose next open step comes soonest; then name."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(
        lags,
        key=lambda lag: (-lag.overdue, lag.next_due or far, lag.done - lag.total, lag.place.name),
    )
