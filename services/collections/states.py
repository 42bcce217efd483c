"""An organisation's state in a collection, set by its responsible person: `Не приступил` →
`В работе` → `Сдано`, and back with a confirmation; every change is audited.

The first start and the first submission keep their times (seed 004: «Сдано» is an
organisation that has passed its data at least once); stepping back keeps them for the record.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models.collections import Collection, CollectionOrg, OrgState
from services.audit import record as audit
from services.collections.access import org_of
from services.collections.nudges import plan_nudges, withdraw_nudges
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import school_scope

ORDER = (OrgState.NOT_STARTED, OrgState.IN_PROGRESS, OrgState.SUBMITTED)


def is_step_back(old: OrgState, new: OrgState) -> bool:
    return ORDER.index(new) < ORDER.index(old)


def check_open(collection: Collection, now: dt.datetime) -> None:
    if now < collection.opens_at:
        raise Refused("col_not_open_yet")
    if now >= collection.closes_at:
        raise Refused("col_closed")


async def set_state(  # noqa: PLR0913 - who, which, what, whether confirmed, when, zone
    session: AsyncSession,
    ident: Identity,
    collection_id: int,
    school_id: int,
    new: OrgState,
    *,
    confirmed: bool,
    now: dt.datetime,
    default_zone: str,
) -> tuple[Collection, CollectionOrg]:
    """Sets the state; a step back without `confirmed` is refused with `col_confirm`."""
    collection, org = await org_of(session, ident, collection_id, school_id)
    check_open(collection, now)
    old = OrgState(org.state)
    if old == new:
        return collection, org
    if is_step_back(old, new) and not confirmed:
        raise Refused("col_confirm")
    org.state = new
    org.updated_at = now
    if new != OrgState.NOT_STARTED and org.started_at is None:
        org.started_at = now
    if new == OrgState.SUBMITTED and org.submitted_at is None:
        org.submitted_at = now
    if old == OrgState.NOT_STARTED:
        await withdraw_nudges(session, collection.id, school_id)
    elif new == OrgState.NOT_STARTED:
        await plan_nudges(session, collection, [school_id], now, default_zone)
    scope = await school_scope(session, school_id)
    await audit.record(
        session, ident, "collection_state", scope, collection.title, now,
        before={"state": old.value}, after={"state": new.value},
        exceptional=is_step_back(old, new),
    )  # fmt: skip
    return collection, org
