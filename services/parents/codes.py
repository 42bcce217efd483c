"""Short one-time codes that link a parent to a child's account: shown by the child, typed in
by the parent. Valid for a quarter of an hour, used once, stored only as a hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import PersonKind
from models.parents import ParentLinkCode
from models.people import User
from services.errors import Refused

CODE_TTL = dt.timedelta(minutes=15)
# No 0/O, 1/I/L: the code is read off one screen and typed on another.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_ATTEMPTS = 5
# A code read aloud or typed on a Russian keyboard often comes back in Cyrillic letters.
_CYRILLIC_LOOKALIKES = str.maketrans("АВЕКМНРСТХУ", "ABEKMHPCTXY")


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, formatted "ABCD-EFGH"
    expires_at: dt.datetime


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def normalize(code: str) -> str:
    """What the person meant: case, spaces, dashes and Cyrillic look-alikes do not matter."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(_CYRILLIC_LOOKALIKES)


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def formatted(code: str) -> str:
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


async def issue_code(session: AsyncSession, child: User, now: dt.datetime) -> IssuedCode:
    """A fresh code for the child; any earlier code of theirs stops working."""
    if child.kind != PersonKind.STUDENT:
        raise Refused("par_code_students_only")
    await session.execute(
        delete(ParentLinkCode).where(
            (ParentLinkCode.child_id == child.id) | (ParentLinkCode.expires_at <= now)
        )
    )
    expires_at = now + CODE_TTL
    for _ in range(_ATTEMPTS):
        code = _new_code()
        try:
            async with session.begin_nested():
                session.add(
                    ParentLinkCode(
                        child_id=child.id,
                        code_hash=code_hash(code),
                        created_at=now,
                        expires_at=expires_at,
                    )
                )
                await session.flush()
        except IntegrityError:
            continue  # another child's live code has the same letters: draw again
        return IssuedCode(formatted(code), expires_at)
    raise RuntimeError("could not draw a unique parent code")


async def take_code(session: AsyncSession, code: str, now: dt.datetime) -> int:
    """The child the code belongs to; the code is spent. Refuses unknown or expired codes."""
    if len(normalize(code)) != CODE_LENGTH:
        raise Refused("par_code_invalid")
    row = await session.scalar(
        select(ParentLinkCode).where(ParentLinkCode.code_hash == code_hash(code))
    )
    if row is None or row.expires_at <= now:
        raise Refused("par_code_invalid")
    child_id = row.child_id
    await session.delete(row)
    return child_id
