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
from models.geo import School
from models.olympiad import OlympiadEvent, Subject
from models.people import RoleGrant, User
from services import audit
from services.authz import Action, authorize_entry
from services.identity import Identity
from services.places import Paged, Places, paged, scope_bases
from services.scopes import Scope

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
class Named:
    """What a target code such as `event:7` stands for, in the reader's language.

    `kind` is "event", "school" or "user"; `level` is set for an event, `role` for a person
    (their staff role, or their kind of account when they have none)."""

    kind: str
    name: str
    level: str | None = None
    role: str | None = None


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


TARGET_KINDS = ("event", "school", "user", "student")


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


def target_refs(target: str) -> list[tuple[str, int]]:
    """The objects a target code names: "event:7 student:3" → [("event", 7), ("student", 3)]."""
    refs = []
    for part in target.split():
        kind, _sep, key = part.partition(":")
        if kind in TARGET_KINDS and key.isdigit():
            refs.append((kind, int(key)))
    return refs


async def _names(
    session: AsyncSession, targets: list[str], locale: str
) -> dict[tuple[str, int], Named]:
    """Names of the events, schools and people the targets point at: one query per kind of
    object for the whole page, never one per line. A row deleted since is simply not found."""
    wanted: dict[str, set[int]] = {}
    for target in targets:
        for kind, key in target_refs(target):
            wanted.setdefault("user" if kind == "student" else kind, set()).add(key)
    found: dict[tuple[str, int], Named] = {}
    if ids := wanted.get("event"):
        subject = Subject.name_en if locale == "en" else Subject.name_ru
        events = await session.execute(
            select(OlympiadEvent.id, subject, OlympiadEvent.level)
            .join(Subject, Subject.id == OlympiadEvent.subject_id)
            .where(OlympiadEvent.id.in_(ids))
        )
        for key, name, level in events:
            found["event", key] = Named("event", name, level=str(level))
    if ids := wanted.get("school"):
        schools = await session.execute(select(School.id, School.name).where(School.id.in_(ids)))
        for key, name in schools:
            found["school", key] = Named("school", name)
    if ids := wanted.get("user"):
        people = await session.execute(
            select(User.id, User.full_name, User.kind, RoleGrant.role)
            .outerjoin(RoleGrant, (RoleGrant.user_id == User.id) & RoleGrant.revoked_at.is_(None))
            .where(User.id.in_(ids))
            .order_by(User.id, RoleGrant.id)
        )
        for key, name, account, role in people:
            if ("user", key) not in found:  # the oldest active role names the person
                person_role = str(role) if role else str(account) if account else None
                found["user", key] = Named("user", name, role=person_role)
    return found


def _named(target: str, names: Mapping[tuple[str, int], Named]) -> tuple[Named, ...]:
    refs = target_refs(target)
    named = [names.get(("user" if k == "student" else k, key)) for k, key in refs]
    # All or nothing: a half-named target would hide which part is gone.
    return tuple(n for n in named if n) if refs and all(named) else ()


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
    lines = [_line(r, places) for r in rows]
    names = await _names(session, [line.target for line in lines], locale)
    return [replace(line, named=_named(line.target, names)) for line in lines]


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
