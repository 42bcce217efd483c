"""Registering a whole list's (student, event) pairs at once, with the single-registration rules.

`services.registration.register` reads its facts, checks and inserts one student at a time; a
list of thousands cannot afford that. Here the same rules run set-based: the event facts are
read once per event, the pure eligibility check once per (event, grade, mode), "already
registered" comes from one query plus the pairs of this file, and the rows, their audit entries
and the family notifications are inserted in bulk. The order of the checks is the one
`register` uses, so each pair gets the answer a single registration would give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.audit import AuditEntry
from models.olympiad import Registration
from services.curator.pairs import Pair, PairBatch
from services.curator.school import CuratedSchool
from services.errors import Refused
from services.notify import reachable_users
from services.people.identity import Identity
from services.registration import register as registration
from services.registration.facts import ActorMode
from services.registration.notify import tell_users
from services.rules.eligibility import ALREADY_REGISTERED

# Told how far the work is: (done, total); a list of thousands runs for seconds.
Progress = Callable[[int, int], Awaitable[None]]
CHUNK = 2000  # rows per INSERT: well under SQLite's bound-parameter limit


async def register_pairs(
    session: AsyncSession,
    ident: Identity,
    school: CuratedSchool,
    pairs: Sequence[Pair],
    rules: Calendar,
    now: dt.datetime,
    progress: Progress | None = None,
) -> list[Refused | None]:
    """One answer per pair, in order: None when registered, else the refusal `register` gives.

    A pair repeated in the list is "already registered" the second time, as it would be. The
    reminders of the registered are planned in one pass per event, for those who can hear them
    (a record without Telegram and without parents gets no reminder, so planning it is waste)."""
    batch = PairBatch(session, ident, school, rules, now)
    await batch.load({p.event_id for p in pairs})
    answers: list[Refused | None] = []
    accepted: list[tuple[int, Pair, ActorMode]] = []
    for pair in pairs:
        try:
            mode, _verdict = batch.check(pair)
        except Refused as refusal:
            answers.append(refusal)
            continue
        batch.taken.add((pair.event_id, pair.student.id))
        accepted.append((len(answers), pair, mode))
        answers.append(None)
    told: list[tuple[Pair, int]] = []
    for start in range(0, len(accepted), CHUNK):
        chunk = accepted[start : start + CHUNK]
        if progress is not None:
            await progress(start, len(accepted))
        ids = await insert_pairs(session, ident, [p for _i, p, _m in chunk], now)
        staff = [p for n, (_i, p, m) in enumerate(chunk) if m == ActorMode.STAFF and n in ids]
        await _audit(session, ident, school, staff, now)
        for n, (index, pair, _mode) in enumerate(chunk):
            if n not in ids:
                answers[index] = Refused(ALREADY_REGISTERED)
            elif batch.reachable(pair.student):
                told.append((pair, ids[n]))
    await _tell_families(session, ident, batch, told, now)
    heard: dict[int, list[int]] = {}
    for pair, answer in zip(pairs, answers, strict=True):
        if answer is None and batch.reachable(pair.student):
            heard.setdefault(pair.event_id, []).append(pair.student.id)
    for event_id, student_ids in sorted(heard.items()):
        await registration.replan_reminders(session, event_id, student_ids, now)
    return answers


async def insert_pairs(
    session: AsyncSession, ident: Identity, pairs: list[Pair], now: dt.datetime
) -> dict[int, int]:
    """Position in `pairs` → new registration id. A pair someone registered meanwhile (a
    student's own tap) is left out, as `register`'s unique-constraint catch does."""
    rows = [
        {
            "event_id": p.event_id,
            "student_id": p.student.id,
            "grade": p.grade,
            "registered_by_id": ident.user.id,
            "created_at": now,
        }
        for p in pairs
    ]
    position = {(p.event_id, p.student.id): i for i, p in enumerate(pairs)}
    # The rows name themselves: asking for them in parameter order would insert one at a time.
    statement = insert(Registration).returning(
        Registration.id, Registration.event_id, Registration.student_id
    )
    try:
        async with session.begin_nested():
            inserted = await session.execute(statement, rows)
            return {position[(e, s)]: new_id for new_id, e, s in inserted}
    except IntegrityError:
        pass
    taken = set(
        await session.execute(
            select(Registration.event_id, Registration.student_id).where(
                Registration.student_id.in_({p.student.id for p in pairs}),
                Registration.event_id.in_({p.event_id for p in pairs}),
            )
        )
    )
    free = [i for i, p in enumerate(pairs) if (p.event_id, p.student.id) not in taken]
    inserted = await session.execute(statement, [rows[i] for i in free])
    return {position[(e, s)]: new_id for new_id, e, s in inserted}


async def _audit(
    session: AsyncSession,
    ident: Identity,
    school: CuratedSchool,
    pairs: list[Pair],
    now: dt.datetime,
) -> None:
    """One "register_student" entry per registration, as `register` records for staff."""
    scope = school.scope
    rows = [
        {
            "at": now,
            "actor_id": ident.user.id,
            "action": "register_student",
            "region_id": scope.region_id,
            "municipality_id": scope.municipality_id,
            "school_id": scope.school_id,
            "target": f"event:{p.event_id} student:{p.student.id}",
            "exceptional": False,
        }
        for p in pairs
    ]
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(AuditEntry), rows[start : start + CHUNK])


async def _tell_families(
    session: AsyncSession,
    ident: Identity,
    batch: PairBatch,
    told: list[tuple[Pair, int]],
    now: dt.datetime,
) -> None:
    """`tell_family` for every registration, with the recipients read in one pass."""
    wanted = {p.student.id: {*batch.parents.get(p.student.id, []), p.student.id} for p, _ in told}
    for recipients in wanted.values():
        recipients.discard(ident.user.id)
    found = {u.id: u for u in await reachable_users(session, set().union(*wanted.values()))}
    for pair, registration_id in told:
        users = [found[r] for r in sorted(wanted[pair.student.id]) if r in found]
        if users:
            facts = batch.facts(pair)
            await tell_users(
                session, ident, pair.student, facts, registration_id, now, True, users
            )
