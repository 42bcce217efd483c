"""The coordinator's panels: the events of the stage, registrations per subject, and the
schools (or, over a region, the municipalities) with their state (not started, in progress,
submitted), lagging ones first.

The first screen is one query: the events of the stage with their per-event counts, from which
the subjects and the municipalities are summed (a municipality's school stage is its own
events). Schools, and subjects within one school, take one query each, once a filter narrows
the place. The filters come from `services.dashboard.filters`, already checked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import EventStatus
from services.dashboard.filters import PanelFilter, event_filters
from services.people.identity import Identity
from services.scopes import Scope
from services.stage.overview import OverviewRow, overview_rows

SHOWN_ROWS = 50


class SchoolState(StrEnum):
    NOT_STARTED = "not_started"  # nobody registered
    IN_PROGRESS = "in_progress"  # registered, results still missing
    SUBMITTED = "submitted"  # every expected result entered


@dataclass(frozen=True)
class Tally:
    name: str
    registered: int
    results: int
    expected: int


@dataclass(frozen=True)
class StagePanel:
    school_year: int
    rows: list[OverviewRow]  # overdue first, at most SHOWN_ROWS
    total: int
    overdue: int
    by_status: dict[EventStatus, int]
    subjects: list[Tally]  # summed over the events
    areas: dict[int, Tally]  # by municipality, summed over its events


@dataclass(frozen=True)
class PlaceLine:
    """A school (with its municipality) or a municipality (with its region), and its tally."""

    id: int
    name: str
    municipality: str
    tally: Tally

    @property
    def state(self) -> SchoolState:
        if self.tally.registered == 0:
            return SchoolState.NOT_STARTED
        if self.tally.results < self.tally.expected:
            return SchoolState.IN_PROGRESS
        return SchoolState.SUBMITTED


@dataclass(frozen=True)
class SchoolsPanel:
    lines: list[PlaceLine]  # lagging first, at most SHOWN_ROWS
    total: int
    by_state: dict[SchoolState, int]


async def stage_panel(
    session: AsyncSession,
    ident: Identity,
    chosen: PanelFilter,
    place: Scope,
    *,
    rules: Calendar,
    locale: str,
    now: dt.datetime,
) -> StagePanel:
    narrower = event_filters(chosen, place)
    year, rows = await overview_rows(
        session, ident, level=None, rules=rules, now=now, narrower=narrower
    )
    statuses = Counter(r.event.status for r in rows)
    return StagePanel(
        school_year=year,
        rows=rows[:SHOWN_ROWS],
        total=len(rows),
        overdue=sum(1 for r in rows if r.standing.overdue),
        by_status={s: statuses[s] for s in EventStatus if statuses[s]},
        subjects=_summed(rows, lambda r: (r.event.sort_order, r.event.subject(locale))),
        areas={
            int(key[1]): tally
            for key, tally in zip(
                *_grouped(rows, lambda r: (0, r.event.municipality_id)), strict=True
            )
            if key[1] is not None
        },
    )


def _grouped(
    rows: list[OverviewRow], key: Callable[[OverviewRow], tuple[int, Any]]
) -> tuple[list[tuple[int, Any]], list[Tally]]:
    sums: dict[tuple[int, Any], list[int]] = {}
    for row in rows:
        found = sums.setdefault(key(row), [0, 0, 0])
        found[0] += row.progress.registered
        found[1] += row.progress.results
        found[2] += row.progress.expected
    keys = sorted(sums, key=lambda k: (k[0], str(k[1])))
    return keys, [Tally(str(k[1]), *sums[k]) for k in keys]


def _summed(rows: list[OverviewRow], key: Callable[[OverviewRow], tuple[int, Any]]) -> list[Tally]:
    """Per subject, the subjects in their order; those nobody registered for are left out."""
    return [t for t in _grouped(rows, key)[1] if t.registered]


def area_lines(panel: StagePanel, names: list[tuple[int, str]], region: str) -> list[PlaceLine]:
    """The municipalities of the stage, lagging first, from the events' counts."""
    lines = [PlaceLine(i, n, region, panel.areas.get(i, Tally(n, 0, 0, 0))) for i, n in names]
    return lagging_first(lines)


def lagging_first(lines: list[PlaceLine]) -> list[PlaceLine]:
    order = list(SchoolState)
    return sorted(lines, key=lambda s: (order.index(s.state), s.tally.registered, s.name))


def schools_of(lines: list[PlaceLine]) -> SchoolsPanel:
    states = Counter(line.state for line in lines)
    return SchoolsPanel(lines[:SHOWN_ROWS], len(lines), {s: states[s] for s in SchoolState})
