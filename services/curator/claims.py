"""Claim codes: a curator hands one to a student whose record has no Telegram account yet.

The student enters the code (`/claim CODE` or the `claim_CODE` deep link) and their account takes
over the record: its school, grade, registrations, parent links and awards. A code works once,
expires, and only its hash is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.claims import ClaimCode
from models.enums import PersonKind
from models.people import User
from reminders.planner import replan_user
from services.audit.record import record
from services.authz import Action, authorize
from services.curator.merge import merge_into
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import school_scope

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read aloud
CODE_LENGTH = 8
CODE_TTL = timedelta(days=14)
DEEP_LINK_PREFIX = "claim_"
_NOT_CODE = re.compile(r"[^A-Z0-9]")

INVALID = "claim_code_invalid"
NOT_OFFLINE = "claim_not_offline"
FOR_STUDENTS = "claim_for_students"


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, in groups: ABCD-EFGH
    expires_at: datetime
    student_name: str


@dataclass(frozen=True)
class Claimed:
    student_id: int
    full_name: str
    school_id: int | None
    grade: int | None
    registrations: int


def normalize_code(text: str) -> str:
    return _NOT_CODE.sub("", text.upper().removeprefix(DEEP_LINK_PREFIX.upper()))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def issue_code(
    session: AsyncSession, ident: Identity, student_id: int, now: datetime
) -> IssuedCode:
    """A fresh code for an offline student of the curator's school; older codes stop working."""
    student = await session.get(User, student_id)
    if student is None or student.school_id is None or student.kind != PersonKind.STUDENT:
        raise Refused("unknown_student")
    authorize(ident, Action.REGISTER_STUDENTS, await school_scope(session, student.school_id))
    if student.tg_id is not None:
        raise Refused(NOT_OFFLINE)
    await session.execute(
        delete(ClaimCode).where(ClaimCode.student_id == student.id, ClaimCode.used_at.is_(None))
    )
    code = _new_code()
    session.add(
        ClaimCode(
            code_hash=code_hash(code),
            student_id=student.id,
            school_id=student.school_id,
            issued_by_id=ident.user.id,
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    )
    scope = await school_scope(session, student.school_id)
    await record(session, ident, "claim_code_issued", scope, f"user:{student.id}", now)
    return IssuedCode(f"{code[:4]}-{code[4:]}", now + CODE_TTL, student.full_name)


async def redeem(
    session: AsyncSession,
    me: User,
    text: str,
    now: datetime,
    rules: Calendar | None = None,
) -> Claimed:
    """Merges the record the code was issued for into `me`; the code is spent atomically.

    With `rules`, the account's reminders are re-planned for the registrations it took over."""
    if me.kind == PersonKind.PARENT:
        raise Refused(FOR_STUDENTS)
    code = normalize_code(text)
    if len(code) != CODE_LENGTH:
        raise Refused(INVALID)
    # The conditional UPDATE spends the code: of two devices racing, one gets the row.
    spent = await session.execute(
        update(ClaimCode)
        .where(
            ClaimCode.code_hash == code_hash(code),
            ClaimCode.used_at.is_(None),
            ClaimCode.expires_at > now,
            ClaimCode.student_id.is_not(None),
        )
        .values(used_at=now, used_by_id=me.id)
        .returning(ClaimCode.student_id)
    )
    student_id = spent.scalar_one_or_none()
    if student_id is None:
        raise Refused(INVALID)
    student = await session.get(User, student_id)
    if student is None or student.tg_id is not None or student.id == me.id:
        raise Refused(INVALID)
    moved = await merge_into(session, student, me, now)
    if rules is not None:
        await replan_user(session, me.id, rules, now)
    scope = await school_scope(session, me.school_id) if me.school_id else None
    if scope is not None:
        audit_actor = Identity(user=me)
        await record(session, audit_actor, "claim_code_used", scope, f"user:{me.id}", now)
    return Claimed(me.id, me.full_name, me.school_id, me.grade, moved)
