"""The organiser's file of codes: columns «Код» and «Резерв» (optional: да / 1 / x marks a
reserve code). Any bad row refuses the whole file, each problem named by its row; nothing is
saved until every row is right. Problems never repeat a code back: the row number says where."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.olympiad import OlympiadEvent
from models.olympiad_day import CodeState, ParticipantCode
from services.audit import record as audit
from services.authz import Action, authorize
from services.codes.assign import assign_all
from services.errors import Refused
from services.people.identity import Identity
from services.results.access import event_scope, load_event
from services.tabular.table import ColumnSpec, Row, read_table

COLUMNS = [
    ColumnSpec("code", ("Код", "Code", "Логин", "Login")),
    ColumnSpec("reserve", ("Резерв", "Reserve", "Резервный"), required=False),
]
MAX_CODES = 10_000
MAX_LENGTH = 64
_CODE = re.compile(r"^[0-9A-Za-z_\-./@#+:=]+$")
_YES = {"да", "д", "yes", "y", "1", "x", "х", "+", "true", "резерв", "reserve"}
_NO = {"", "нет", "н", "no", "n", "0", "-", "false"}


@dataclass(frozen=True)
class Problem:
    row: int
    reason: str  # a refusal code with a text in handlers/refusal_texts


@dataclass(frozen=True)
class Uploaded:
    main: int
    reserve: int
    given: int
    without_code: int


async def codes_event(session: AsyncSession, ident: Identity, event_id: int) -> OlympiadEvent:
    """The event, if the person organises it (checked before anything about it is told)."""
    event = await load_event(session, event_id)
    authorize(ident, Action.UPLOAD_CODES, event_scope(event), event.level)
    return event


def _check(rows: list[Row], taken: set[str]) -> tuple[list[tuple[str, bool]], list[Problem]]:
    good: list[tuple[str, bool]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for row in rows:
        code = row.values["code"].strip()
        flag = row.values.get("reserve", "").strip().casefold()
        reason = None
        if row.problem is not None:
            reason = "codes_row_bad"
        elif not code:
            reason = "codes_row_empty"
        elif len(code) > MAX_LENGTH or not _CODE.match(code):
            reason = "codes_row_bad"
        elif code in seen or code in taken:
            reason = "codes_row_repeated"
        elif flag not in _YES | _NO:
            reason = "codes_row_bad_reserve"
        if reason is not None:
            problems.append(Problem(row.number, reason))
            continue
        seen.add(code)
        good.append((code, flag in _YES))
    return good, problems


async def upload_codes(
    session: AsyncSession,
    ident: Identity,
    event_id: int,
    file: tuple[str, bytes],
    default_time: dt.time,
    now: dt.datetime,
) -> Uploaded | list[Problem]:
    """Saves every code of a clean file and gives codes out; or returns the problems, saving
    nothing."""
    event = await codes_event(session, ident, event_id)
    table = read_table(*file, COLUMNS, max_rows=MAX_CODES)
    taken = set(
        await session.scalars(
            select(ParticipantCode.code).where(ParticipantCode.event_id == event.id)
        )
    )
    good, problems = _check(table.rows, taken)
    if problems:
        return problems
    if not good:
        raise Refused("file_no_rows")
    session.add_all(
        ParticipantCode(event_id=event.id, code=code, reserve=reserve, state=CodeState.FREE,
                        created_at=now)
        for code, reserve in good
    )  # fmt: skip
    await session.flush()
    given, without = await assign_all(session, event, default_time, now)
    reserve = sum(r for _, r in good)
    result = Uploaded(len(good) - reserve, reserve, given, without)
    await audit.record(
        session, ident, "codes_uploaded", event_scope(event), f"event:{event.id}", now,
        after={"main": result.main, "reserve": result.reserve, "given": given,
               "without_code": without},
    )  # fmt: skip
    return result
