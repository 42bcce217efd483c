"""Entering results: one score, many typed lines or file rows, and the organiser's settings.

Every change is checked through `results_access` (and so `authz`) and recorded in the audit log
in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Placement, RegistrationState
from models.olympiad import OlympiadEvent, Registration
from models.people import User
from services.audit import record as audit
from services.errors import Refused
from services.people.identity import Identity
from services.results.access import (
    authorize_score_entry,
    ensure_open,
    entry_schools,
    is_organiser,
    load_event,
)
from services.results.match import GivenName, NameIndex, pick
from services.rules.scores import (
    parse_placement,
    parse_score,
    split_score_line,
)
from services.scopes import Scope


@dataclass(frozen=True)
class Entry:
    """One typed line or file row, before it is matched to a participant."""

    number: int
    name: GivenName | None
    score_text: str = ""
    grade: int | None = None
    placement_text: str = ""
    problem: Refused | None = None


@dataclass(frozen=True)
class Outcome:
    number: int
    name: str
    score: float | None = None
    placement: Placement | None = None
    problem: Refused | None = None
    placement_ignored: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None


def parse_lines(text: str) -> list[Entry]:
    """ "Фамилия Имя — 37,5" per line; a line that cannot be read is kept with its problem."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            name, score = split_score_line(line)
            entries.append(Entry(number, GivenName.from_text(name), score))
        except Refused as problem:
            entries.append(Entry(number, None, problem=problem))
    return entries


async def registration_of(
    session: AsyncSession, reg_id: int
) -> tuple[Registration, OlympiadEvent, int | None]:
    row = (
        await session.execute(
            select(Registration, User.school_id)
            .join(User, Registration.student_id == User.id)
            .where(Registration.id == reg_id)
        )
    ).one_or_none()
    if row is None:
        raise Refused("res_unknown_registration")
    return row[0], await load_event(session, row[0].event_id), row[1]


def _record_score(registration: Registration, score: float) -> None:
    registration.score = score
    registration.state = RegistrationState.PARTICIPATED


async def set_score(
    session: AsyncSession, ident: Identity, reg_id: int, text: str, now: datetime
) -> float:
    registration, event, school_id = await registration_of(session, reg_id)
    await authorize_score_entry(session, ident, event, school_id)
    ensure_open(event)
    score = parse_score(text, event.max_score)
    before = registration.score
    _record_score(registration, score)
    scope = Scope(event.region_id, event.municipality_id, school_id)
    await audit.record(
        session,
        ident,
        "result_entered",
        scope,
        f"registration:{reg_id}",
        now,
        before={"score": before},
        after={"score": score},
    )
    return score


async def apply_entries(
    session: AsyncSession,
    ident: Identity,
    event_id: int,
    entries: Sequence[Entry],
    *,
    now: datetime,
    source: str,
) -> list[Outcome]:
    """Saves every entry that matches a participant and holds a valid score; reports the rest."""
    event = await load_event(session, event_id)
    schools = await entry_schools(session, ident, event)  # scope first: see organiser_event
    ensure_open(event)
    if event.max_score is None:
        raise Refused("res_max_score_not_set")
    query = (
        select(Registration, User.full_name)
        .join(User, Registration.student_id == User.id)
        .where(Registration.event_id == event.id)
    )
    if schools is not None:
        query = query.where(User.school_id.in_(schools))
    people = NameIndex(((reg, name) for reg, name in await session.execute(query)), _name)
    organiser = is_organiser(ident, event)
    seen: set[int] = set()
    outcomes = [_apply_one(e, people, event.max_score, organiser, seen) for e in entries]
    saved = sum(o.ok for o in outcomes)
    school = next(iter(schools)) if schools is not None and len(schools) == 1 else None
    await audit.record(
        session,
        ident,
        "results_upload",
        Scope(event.region_id, event.municipality_id, school),
        f"event:{event.id}",
        now,
        after={"source": source, "saved": saved, "failed": len(outcomes) - saved},
    )
    return outcomes


def _name(person: tuple[Registration, str]) -> str:
    return person[1]


def _apply_one(
    entry: Entry,
    people: NameIndex[tuple[Registration, str]],
    max_score: float,
    organiser: bool,
    seen: set[int],
) -> Outcome:
    shown = entry.name.display if entry.name else ""
    try:
        if entry.problem is not None:
            raise entry.problem
        assert entry.name is not None
        registration, full_name = pick(
            people.candidates(entry.name), entry.name, entry.grade,
            name_of=_name, grade_of=lambda p: p[0].grade,
        )  # fmt: skip
        if registration.id in seen:
            raise Refused("res_duplicate_row", name=full_name)
        score = parse_score(entry.score_text, max_score)
        placement = parse_placement(entry.placement_text)
    except Refused as problem:
        return Outcome(entry.number, shown, problem=problem)
    seen.add(registration.id)
    _record_score(registration, score)
    if placement is not None and organiser:
        registration.placement = placement
    ignored = placement is not None and not organiser
    return Outcome(entry.number, full_name, score, placement, placement_ignored=ignored)
