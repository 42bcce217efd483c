"""Reading the audit log: the entries of my scope, newest first, on screen and for export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.audit import AuditEntry
from models.people import User
from services import audit
from services.authz import Action, authorize_entry
from services.identity import Identity
from services.scopes import Scope
from services.staff import Paged, Places, paged, scope_bases

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


def _text(value: Any, limit: int = VALUE_CHARS) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[Change, ...]:
    """What differs between the two snapshots, key by key, in the order the keys were written."""
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return tuple(
        Change(key, _text(before.get(key)), _text(after.get(key)))
        for key in keys
        if key not in before or key not in after or before[key] != after[key]
    )


def _query(locale: str) -> tuple[Select[Any], Places]:
    actor = aliased(User)
    places = Places(AuditEntry.region_id, AuditEntry.municipality_id, AuditEntry.school_id)
    stmt = places.join(
        select(AuditEntry, actor.full_name, *places.columns(locale)).outerjoin(
            actor, actor.id == AuditEntry.actor_id
        )
    )
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()), places


def _line(row: Any, places: Places) -> AuditLine:
    entry: AuditEntry = row[0]
    _scope, place = places.read(row[2:])
    return AuditLine(
        id=entry.id,
        at=entry.at,
        actor=row[1],
        action=entry.action,
        place=place,
        target=entry.target,
        changes=changes(entry.before, entry.after),
        reason=_text(entry.reason, REASON_CHARS) if entry.reason else None,
        exceptional=entry.exceptional,
    )


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
    return Paged(tuple(_line(r, places) for r in rows), page, total, size)


async def audit_export(
    session: AsyncSession, ident: Identity, now: datetime, locale: str, limit: int = EXPORT_LIMIT
) -> list[AuditLine]:
    """The newest `limit` entries of my scope; the export itself goes into the log."""
    stmt, places = await _mine(session, ident, locale)
    lines = [_line(r, places) for r in await session.execute(stmt.limit(limit))]
    bases = await scope_bases(session, ident, Action.VIEW_AUDIT)
    scope = bases[0] if bases and len(bases) == 1 else Scope()
    await audit.record(
        session, ident, "audit_export", scope, "audit", now, after={"rows": len(lines)}
    )
    return lines
