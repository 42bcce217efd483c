"""A curator's list file: find or create each student, register them for their subjects.

The file is read (and refused as a whole) before anything is written. Then every row runs in the
update's one transaction: a refusal is reported for its row, while a database failure aborts
everything, so a list is never half-imported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.enums import Level
from models.olympiad import Subject
from services.audit import record as audit
from services.authz import Action
from services.curator.batch import register_pairs
from services.curator.events import EventItem, school_events
from services.curator.pairs import Pair
from services.curator.roster import Roster, load_roster
from services.curator.rows import COLUMNS, UNKNOWN_SUBJECT, ParsedRow, parse_row, subject_index
from services.curator.school import CuratedSchool, open_school
from services.errors import Refused
from services.people.identity import Identity
from services.rules.eligibility import ALREADY_REGISTERED
from services.tabular.table import read_table

NO_SCHOOL_EVENT = "no_school_event"
READ_SHARE = 40  # per cent of the progress for reading rows and finding students
PROGRESS_ROWS = 1000  # rows between two progress reports
Percent = Callable[[int], Awaitable[None]]


class Outcome(StrEnum):
    REGISTERED = "registered"
    ALREADY = "already"
    INELIGIBLE = "ineligible"
    INVALID = "invalid"
    LISTED = "listed"  # a row without subjects: the student is on the school's list
    # The student is on the school's list, but this subject of the row was not recognised: the
    # row itself is valid, so it is not counted as an invalid row.
    UNKNOWN_SUBJECT = "unknown_subject"


@dataclass(frozen=True)
class ReportLine:
    row: ParsedRow
    subject: str
    outcome: Outcome
    refusal: Refused | None = None


@dataclass
class UploadResult:
    school: CuratedSchool
    format: str
    rows: int = 0
    created: int = 0
    lines: list[ReportLine] = field(default_factory=list)

    @property
    def counts(self) -> Counter[Outcome]:
        return Counter(line.outcome for line in self.lines)

    @property
    def invalid_rows(self) -> int:
        return len({line.row.number for line in self.lines if line.outcome == Outcome.INVALID})


@dataclass
class _Import:
    session: AsyncSession
    ident: Identity
    roster: Roster
    events: dict[int, EventItem]  # subject id → the school-stage event of that subject
    rules: Calendar
    now: dt.datetime
    result: UploadResult
    progress: Percent | None = None  # told the percentage done as the list goes
    pending: list[tuple[int, Pair]] = field(default_factory=list)  # report line → pair to register

    async def tell(self, pct: int) -> None:
        if self.progress is not None:
            await self.progress(pct)

    def add(self, row: ParsedRow, subject: str, outcome: Outcome, why: Refused | None) -> None:
        self.result.lines.append(ReportLine(row, subject, outcome, why))

    async def row(self, row: ParsedRow) -> None:
        if row.problem is not None:
            self.add(row, "", Outcome.INVALID, Refused(row.problem, **row.details))
            return
        try:
            student = await self.roster.resolve(row, self.now)
        except Refused as problem:
            self.add(row, "", Outcome.INVALID, problem)
            return
        if not row.subjects:
            self.add(row, "", Outcome.LISTED, None)
        for pick in row.subjects:
            event = self.events.get(pick.subject_id) if pick.subject_id is not None else None
            if pick.subject_id is None:
                self.add(
                    row,
                    pick.text,
                    Outcome.UNKNOWN_SUBJECT,
                    Refused(UNKNOWN_SUBJECT, subject=pick.text),
                )
            elif event is None:
                self.add(row, pick.text, Outcome.INELIGIBLE, Refused(NO_SCHOOL_EVENT))
            else:
                assert row.grade is not None
                self.pending.append((len(self.result.lines), Pair(student, row.grade, event.id)))
                self.add(row, pick.text, Outcome.REGISTERED, None)

    async def register(self) -> None:
        """Every eligible pair of the list at once; each line gets the single rule's answer."""
        await self.roster.save()  # the students this list created get their ids
        pairs = [pair for _line, pair in self.pending]
        answers = await register_pairs(
            self.session, self.ident, self.roster.school, pairs, self.rules, self.now,
            lambda done, total: self.tell(READ_SHARE + (99 - READ_SHARE) * done // max(total, 1)),
        )  # fmt: skip
        for (line, _pair), refusal in zip(self.pending, answers, strict=True):
            current = self.result.lines[line]
            self.result.lines[line] = replace(current, outcome=_outcome(refusal), refusal=refusal)


def _outcome(refusal: Refused | None) -> Outcome:
    if refusal is None:
        return Outcome.REGISTERED
    return Outcome.ALREADY if refusal.reason == ALREADY_REGISTERED else Outcome.INELIGIBLE


async def _events_by_subject(
    session: AsyncSession, school: CuratedSchool, rules: Calendar, now: dt.datetime
) -> dict[int, EventItem]:
    found: dict[int, EventItem] = {}
    for event in await school_events(session, school, rules, now):
        current = found.get(event.subject_id)
        if current is None or (event.open and not current.open):
            found[event.subject_id] = event
    return found


def count_rows(filename: str, content: bytes) -> int:
    """Rows of the list (a file that cannot be read is refused here, before anything else)."""
    return len(read_table(filename, content, COLUMNS).rows)


async def import_list(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    filename: str,
    content: bytes,
    *,
    rules: Calendar,
    now: dt.datetime,
    progress: Percent | None = None,
) -> UploadResult:
    school = await open_school(session, ident, school_id, Action.REGISTER_STUDENTS, Level.SCHOOL)
    table = read_table(filename, content, COLUMNS)
    subjects = await session.execute(
        select(Subject.id, Subject.code, Subject.name_ru, Subject.name_en)
    )
    index = subject_index((r[0], r[1], r[2], r[3]) for r in subjects)
    run = _Import(
        session=session,
        ident=ident,
        roster=await load_roster(session, school),
        events=await _events_by_subject(session, school, rules, now),
        rules=rules,
        now=now,
        result=UploadResult(school=school, format=table.format, rows=len(table.rows)),
        progress=progress,
    )
    for number, raw in enumerate(table.rows):
        if number % PROGRESS_ROWS == 0:
            await run.tell(READ_SHARE * number // len(table.rows))
        await run.row(parse_row(raw, index))
    await run.register()
    run.result.created = run.roster.created
    counts = {str(outcome): n for outcome, n in run.result.counts.items()}
    after = {"rows": run.result.rows, "created": run.roster.created, **counts}
    await audit.record(
        session, ident, "curator_upload", school.scope, f"school:{school.id}", now, after=after
    )
    return run.result
