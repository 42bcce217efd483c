"""What the codes in audit targets stand for: `event:7` → «Математика», read once per page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.geo import School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import RoleGrant, User

TARGET_KINDS = ("event", "school", "user", "student", "registration")


@dataclass(frozen=True)
class Named:
    """What a target code such as `event:7` stands for, in the reader's language.

    `kind` is "event", "school", "user" or "registration"; `level` is set for an event and a
    registration, `role` for a person (their staff role, or their kind of account when they
    have none). A row deleted since keeps its `kind` and `key` and has no `name`."""

    kind: str
    name: str
    level: str | None = None
    role: str | None = None
    key: int = 0


def target_refs(target: str) -> list[tuple[str, int]]:
    """The objects a target code names: "event:7 student:3" → [("event", 7), ("student", 3)]."""
    refs = []
    for part in target.split():
        kind, _sep, key = part.partition(":")
        if kind in TARGET_KINDS and key.isdigit():
            refs.append((kind, int(key)))
    return refs


def _subject(locale: str) -> object:
    return Subject.name_en if locale == "en" else Subject.name_ru


async def _events(session: AsyncSession, ids: set[int], locale: str) -> dict[int, Named]:
    rows = await session.execute(
        select(OlympiadEvent.id, _subject(locale), OlympiadEvent.level)  # type: ignore[call-overload]
        .join(Subject, Subject.id == OlympiadEvent.subject_id)
        .where(OlympiadEvent.id.in_(ids))
    )
    return {key: Named("event", name, level=str(level)) for key, name, level in rows}


async def _registrations(session: AsyncSession, ids: set[int], locale: str) -> dict[int, Named]:
    rows = await session.execute(
        select(Registration.id, User.full_name, _subject(locale), OlympiadEvent.level)  # type: ignore[call-overload]
        .join(User, User.id == Registration.student_id)
        .join(OlympiadEvent, OlympiadEvent.id == Registration.event_id)
        .join(Subject, Subject.id == OlympiadEvent.subject_id)
        .where(Registration.id.in_(ids))
    )
    return {
        key: Named("registration", f"{person} · {subject}", level=str(level))
        for key, person, subject, level in rows
    }


async def _people(session: AsyncSession, ids: set[int]) -> dict[int, Named]:
    rows = await session.execute(
        select(User.id, User.full_name, User.kind, RoleGrant.role)
        .outerjoin(RoleGrant, (RoleGrant.user_id == User.id) & RoleGrant.revoked_at.is_(None))
        .where(User.id.in_(ids))
        .order_by(User.id, RoleGrant.id)
    )
    found: dict[int, Named] = {}
    for key, name, account, role in rows:
        if key not in found:  # the oldest active role names the person
            person_role = str(role) if role else str(account) if account else None
            found[key] = Named("user", name, role=person_role)
    return found


async def names(
    session: AsyncSession, targets: list[str], locale: str
) -> dict[tuple[str, int], Named]:
    """Names of the objects the targets point at: one query per kind of object for the whole
    page, never one per line. A row deleted since is simply not found."""
    wanted: dict[str, set[int]] = {}
    for target in targets:
        for kind, key in target_refs(target):
            wanted.setdefault("user" if kind == "student" else kind, set()).add(key)
    found: dict[tuple[str, int], Named] = {}
    if ids := wanted.get("event"):
        found.update((("event", k), n) for k, n in (await _events(session, ids, locale)).items())
    if ids := wanted.get("registration"):
        named = await _registrations(session, ids, locale)
        found.update((("registration", k), n) for k, n in named.items())
    if ids := wanted.get("school"):
        schools = await session.execute(select(School.id, School.name).where(School.id.in_(ids)))
        found.update((("school", k), Named("school", name)) for k, name in schools)
    if ids := wanted.get("user"):
        found.update((("user", k), n) for k, n in (await _people(session, ids)).items())
    return found


def named(target: str, found: Mapping[tuple[str, int], Named]) -> tuple[Named, ...]:
    """The objects of a target in order; a gone one keeps its kind and id, to be said so."""
    return tuple(
        found.get(("user" if kind == "student" else kind, key)) or Named(kind, "", key=key)
        for kind, key in target_refs(target)
    )


async def subject_names(session: AsyncSession, codes: set[str], locale: str) -> dict[str, str]:
    """Subject codes (a stage's "subjects") as names in the reader's language."""
    if not codes:
        return {}
    rows = await session.execute(
        select(Subject.code, _subject(locale)).where(Subject.code.in_(codes))  # type: ignore[call-overload]
    )
    return {code: name for code, name in rows}
