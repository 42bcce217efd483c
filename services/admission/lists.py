"""The next-stage participant list ("автоматическое формирование списка участников").

`preview` shows what forming the list would do; `commit` does it in the caller's transaction:
the registrations (state `admitted`), the notices and the audit entry land together or not at
all. Re-running adds only those not registered yet (the unique event + student constraint).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.school_year import school_year_of
from models.enums import Level, RegistrationState, Role
from models.geo import Municipality, Region
from models.olympiad import Registration, Subject
from services.admission.notify import notify_admitted
from services.admission.preview import Admit, Preview, Sources, build_preview
from services.admission.sources import (
    Target,
    already_registered,
    last_year_awards,
    next_stage_events,
    previous_published,
    previous_results,
)
from services.appeals.window import still_open
from services.audit import record as audit
from services.authz import Action, allowed, authorize, authorize_entry
from services.errors import Refused
from services.people.identity import Identity
from services.reference.day_schema import OlympiadDayFile
from services.scopes import Scope, municipality_scope

Notifier = Callable[[AsyncSession, Sequence[Admit], Level, str, datetime], Awaitable[int]]


@dataclass(frozen=True)
class Committed:
    created: int
    already: int
    notified: int


async def targets(session: AsyncSession, ident: Identity, now: datetime) -> list[Target]:
    """The lists the person forms: the municipal one of their municipality, the regional one
    of their region; for this school year in the region's own calendar."""
    authorize_entry(ident, Action.FORM_LIST)
    found: list[Target] = []
    for grant in ident.grants:
        if grant.role == Role.MUNICIPAL and grant.municipality_id is not None:
            scope = await municipality_scope(session, grant.municipality_id)
            level = Level.MUNICIPAL
        elif grant.role == Role.REGIONAL and grant.region_id is not None:
            scope, level = Scope(region_id=grant.region_id), Level.REGIONAL
        else:
            continue
        if allowed(ident, Action.FORM_LIST, scope, level):
            zone = await session.scalar(
                select(Region.timezone).where(Region.id == scope.region_id)
            )
            today = now.astimezone(ZoneInfo(zone or "Europe/Moscow")).date()
            found.append(Target(level, scope, school_year_of(today)))
    if not found:
        raise Refused("adm_no_admission_scope")
    return found


def scope_id(target: Target) -> int:
    """The municipality (municipal list) or the region (regional list) the list belongs to."""
    found = target.scope.municipality_id or target.scope.region_id
    assert found is not None
    return found


async def target_for(
    session: AsyncSession, ident: Identity, now: datetime, level: str, scope: int
) -> Target:
    """One of the person's lists, as a button named it; a lost role makes the button stale."""
    for target in await targets(session, ident, now):
        if target.level == level and scope_id(target) == scope:
            return target
    raise Refused("adm_not_your_list")


async def target_names(session: AsyncSession, found: Sequence[Target]) -> list[str]:
    """The municipality or region name of each list, for the buttons that choose one."""
    muni_ids = {t.scope.municipality_id for t in found}
    region_ids = {t.scope.region_id for t in found}
    municipalities = {
        i: name
        for i, name in await session.execute(
            select(Municipality.id, Municipality.name).where(Municipality.id.in_(muni_ids))
        )
    }
    regions = {
        i: name
        for i, name in await session.execute(
            select(Region.id, Region.name_ru).where(Region.id.in_(region_ids))
        )
    }
    return [
        municipalities.get(t.scope.municipality_id or 0) or regions.get(t.scope.region_id or 0, "")
        for t in found
    ]


async def preview(
    session: AsyncSession,
    ident: Identity,
    target: Target,
    locale: str,
    *,
    now: datetime | None = None,
    day: OlympiadDayFile | None = None,
) -> Preview:
    """What forming the list would do; given `now` and the day rules, which subjects are still
    preliminary (their appeal window open: scores may change, and the preview with them)."""
    authorize(ident, Action.FORM_LIST, target.scope, target.level)
    found = await _preview(session, target, locale)
    if now is None or day is None:
        return found
    events = await still_open(session, await previous_published(session, target), day, now)
    subjects = {s.id: s for s in await session.scalars(select(Subject))}
    names = {
        subjects[e.subject_id].name_en if locale == "en" else subjects[e.subject_id].name_ru
        for e in events
    }
    return replace(found, preliminary=sorted(names))


async def _preview(session: AsyncSession, target: Target, locale: str) -> Preview:
    scores = await previous_results(session, target)
    awards = await last_year_awards(session, target)
    slots = await next_stage_events(session, target)
    existing = await already_registered(session, [s.event_id for s in slots.values()])
    subjects = {s.id: s for s in await session.scalars(select(Subject))}
    return build_preview(target, Sources(scores, awards, slots, existing, subjects), locale)


async def commit(
    session: AsyncSession,
    ident: Identity,
    target: Target,
    now: datetime,
    *,
    notifier: Notifier = notify_admitted,
) -> Committed:
    """Registers the new admissions, tells them, and records it; one transaction, the caller's."""
    planned = await preview(session, ident, target, "ru")
    new = [a for a in planned.admits if a.new]
    # Written first: the insert opens the database transaction before the savepoint below,
    # which the SQLite driver would otherwise treat as the outermost one and commit early.
    entry = await audit.record(
        session, ident, "list_formed", target.scope, f"{target.level}:{target.school_year}", now
    )
    created = await _register(session, new, ident.user.id, now)
    entry.after = {
        "admitted": len(created),
        "already": len(planned.admits) - len(created),
        "missing_events": planned.missing_events,
    }
    notified = await notifier(session, created, target.level, f"admitted:{entry.id}", now)
    return Committed(len(created), len(planned.admits) - len(created), notified)


async def _register(
    session: AsyncSession, admits: list[Admit], by_id: int, now: datetime
) -> list[Admit]:
    """Inserts in one go; if a concurrent run got some first, falls back to one by one."""

    def row(admit: Admit) -> Registration:
        return Registration(
            event_id=admit.event_id,
            student_id=admit.found.candidate.student_id,
            grade=admit.found.candidate.grade,
            state=RegistrationState.ADMITTED,
            registered_by_id=by_id,
            created_at=now,
        )

    try:
        async with session.begin_nested():
            session.add_all([row(a) for a in admits])
            await session.flush()
    except IntegrityError:
        created = []
        for admit in admits:
            try:
                async with session.begin_nested():
                    session.add(row(admit))
                    await session.flush()
                created.append(admit)
            except IntegrityError:
                continue
        return created
    return admits
