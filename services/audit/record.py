"""Recording staff actions: who, when, where, what, before → after, why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from services.people.identity import Identity
from services.scopes import Scope


async def record(
    session: AsyncSession,
    actor: Identity | None,
    action: str,
    scope: Scope,
    target: str,
    now: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    exceptional: bool = False,
) -> AuditEntry:
    """Adds an entry to the caller's transaction: it commits or rolls back with the action."""
    entry = AuditEntry(
        at=now,
        actor_id=actor.user.id if actor else None,
        action=action,
        region_id=scope.region_id,
        municipality_id=scope.municipality_id,
        school_id=scope.school_id,
        target=target[:200],
        before=before,
        after=after,
        reason=reason,
        exceptional=exceptional,
    )
    session.add(entry)
    await session.flush()
    return entry
