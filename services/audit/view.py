"""Reading the audit log: the entries of my scope, newest first, on screen and for export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.audit import AuditEntry
from models.people import User
from services.audit import names as audit_names
from services.audit import record as audit
from services.audit.names import Named
from services.authz import Action, authorize_entry
from services.people.identity import Identity
from services.scopes import Scope
from services.staff.places import Paged, Places, paged, scope_bases

EXPORT_LIMIT = 10_000
VALUE_CHARS = 80  # a long before/after value is cut: the screen is a phone
REASON_CHARS = 300
AUDIT_PAGE = 6  # a few entries per screen keeps the message under Telegram's 4096 characters


@dataclass(frozen=True)
class Change:
    key: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime
    actor: str | None
    action: str
    place: str
    target: str
    changes: tuple[Change, ...]
    reason: str | None
    exceptional: bool
    place_kind: str = ""  # "school", "municipality", "region" or "" (the whole deployment)
    named: tuple[Named, ...] = ()  # the objects of the target that still exist


def _plain(value: Any) -> str:
    """A snapshot value as text; lists and mappings (passing scores by grade) item by item."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    return value if isinstance(value, str) else str(value)


def _text(value: Any, limit: int = VALUE_CHARS) -> str:
    if value is None:
        return "—"
    text = _plain(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[Change, ...]:
    """What differs between the two snapshots, key by key, in the order the keys were written.

    A value first written (a count, the step of a status change, a first score) has no
    "before": its `before` is "" rather than a dash and an arrow, which read as a code."""
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return tuple(
        Change(key, "" if before.get(key) is None else _text(before[key]), _text(after.get(key)))
        for key in keys
        if key not in before or key not in after or before[key] != after[key]
    )


def _same(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> tuple[Change, ...]:
    """Both snapshots written and equal (an edit whose shown value stayed the same): the
    value is still worth seeing, rather than an entry that seems to have changed nothing."""
    if not before or not after:
        return ()
    return tuple(Change(key, _text(before[key]), _text(after[key])) for key in after)


def _query(locale: str) -> tuple[Select[Any], Places]:
    actor = aliased(User)
    places = Places(AuditEntry.region_id, AuditEntry.municipality_id, AuditEntry.school_id)
    stmt = places.join(
        select(AuditEntry, actor.full_name, *places.columns(locale)).outerjoin(
            actor, actor.id == AuditEntry.actor_id
        )
    )
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()), places


def _place_kind(scope: Scope, place: str) -> str:
    if not place:
        return ""
    if scope.school_id is not None:
        return "school"
    return "municipality" if scope.municipality_id is not None else "region"


def _line(row: Any, places: Places) -> AuditLine:
    entry: AuditEntry = row[0]
    scope, place = places.read(row[2:])
    return AuditLine(
        id=entry.id,
        at=entry.at,
        actor=row[1],
        action=entry.action,
        place=place,
        target=entry.target,
        changes=changes(entry.before, entry.after) or _same(entry.before, entry.after),
        reason=_text(entry.reason, REASON_CHARS) if entry.reason else None,
        exceptional=entry.exceptional,
        place_kind=_place_kind(scope, place),
    )


async def _lines(session: AsyncSession, rows: Any, places: Places, locale: str) -> list[AuditLine]:
    rows = list(rows)
    lines = [_line(r, places) for r in rows]
    found = await audit_names.names(session, [line.target for line in lines], locale)
    # Read from the entries themselves: a long list is already cut short in the line.
    written = [_subject_codes(row[0].after) for row in rows]
    codes = {code for line_codes in written for code in line_codes}
    subjects = await audit_names.subject_names(session, codes, locale)
    return [
        replace(
            line,
            named=audit_names.named(line.target, found),
            changes=_named_subjects(line, line_codes, subjects),
        )
        for line, line_codes in zip(lines, written, strict=True)
    ]


def _subject_codes(after: Mapping[str, Any] | None) -> list[str]:
    codes = (after or {}).get("subjects")
    return [str(code) for code in codes] if isinstance(codes, list) else []


def _named_subjects(
    line: AuditLine, codes: list[str], subjects: Mapping[str, str]
) -> tuple[Change, ...]:
    """A stage's subjects by name; the codes were written, a reader wants names."""
    if not codes:
        return line.changes
    names = _text([subjects.get(code, code) for code in codes])
    return tuple(replace(c, after=names) if c.key == "subjects" else c for c in line.changes)


async def _mine(session: AsyncSession, ident: Identity, locale: str) -> tuple[Select[Any], Places]:
    authorize_entry(ident, Action.VIEW_AUDIT)
    stmt, places = _query(locale)
    bases = await scope_bases(session, ident, Action.VIEW_AUDIT)
    return places.limit_to(stmt, bases), places


async def audit_page(
    session: AsyncSession, ident: Identity, page: int, locale: str, size: int = AUDIT_PAGE
) -> Paged[AuditLine]:
    """One page of the log of my scope, newest first; admins see the whole deployment."""
    stmt, places = await _mine(session, ident, locale)
    rows, total, page = await paged(session, stmt, page, size)
    lines = await _lines(session, rows, places, locale)
    return Paged(tuple(lines), page, total, size)


async def audit_export(
    session: AsyncSession, ident: Identity, now: datetime, locale: str, limit: int = EXPORT_LIMIT
) -> list[AuditLine]:
    """The newest `limit` entries of my scope; the export itself goes into the log."""
    stmt, places = await _mine(session, ident, locale)
    lines = await _lines(session, await session.execute(stmt.limit(limit)), places, locale)
    bases = await scope_bases(session, ident, Action.VIEW_AUDIT)
    scope = bases[0] if bases and len(bases) == 1 else Scope()
    await audit.record(
        session, ident, "audit_export", scope, "audit", now, after={"rows": len(lines)}
    )
    return lines
