"""A synthetic region (schools, students, parents, staff, events) for benchmarks and tests.

Rows are inserted in bulk with explicit ids, so a region of 100 000 students builds in seconds.
Every municipality holds a school-stage event per subject, one day apart; one student in
`registered_every` is registered for all of them, and one in `parent_every` has a parent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bench.synthetic.base import Shape, SyntheticRegion, bulk, next_id
from bench.synthetic.events import add_events
from models.enums import PersonKind, Role
from models.geo import Municipality, Region, School
from models.people import ParentLink, RoleGrant, User


async def build_region(session: AsyncSession, shape: Shape, now: dt.datetime) -> SyntheticRegion:
    """Inserts a region of the given shape; the caller commits."""
    out = SyntheticRegion(await next_id(session, Region))
    rid = out.region_id
    await bulk(
        session,
        Region,
        [
            {
                "id": rid,
                "code": f"R{rid}",
                "name_ru": f"Регион {rid}",
                "name_en": f"Region {rid}",
                "timezone": shape.zone,
            }
        ],
    )
    muni0, school0 = await next_id(session, Municipality), await next_id(session, School)
    out.municipality_ids = list(range(muni0, muni0 + shape.municipalities))
    per = shape.schools_per_municipality
    out.school_ids = list(range(school0, school0 + shape.municipalities * per))
    await bulk(
        session,
        Municipality,
        [
            {"id": m, "region_id": rid, "code": f"M{m}", "name": f"Район {m}"}
            for m in out.municipality_ids
        ],
    )
    await bulk(
        session,
        School,
        [
            {
                "id": s,
                "municipality_id": muni0 + (s - school0) // per,
                "code": f"S{s}",
                "name": f"Школа № {s}",
            }
            for s in out.school_ids
        ],
    )
    await _people(session, shape, out, now)
    await add_events(session, shape, out, now)
    return out


def _person(
    uid: int, shape: Shape, kind: PersonKind, now: dt.datetime, **more: Any
) -> dict[str, Any]:
    return {
        "id": uid,
        "tg_id": shape.tg_base + uid,
        "full_name": f"{kind.value} {uid}",
        "kind": kind,
        "created_at": now,
        **more,
    }


async def _people(
    session: AsyncSession, shape: Shape, out: SyntheticRegion, now: dt.datetime
) -> None:
    user0, schools = await next_id(session, User), out.school_ids
    out.student_ids = list(range(user0, user0 + shape.students))
    out.school_of_student = {u: schools[i % len(schools)] for i, u in enumerate(out.student_ids)}
    children = out.student_ids[:: shape.parent_every]
    parent0 = user0 + shape.students
    out.parent_ids = list(range(parent0, parent0 + len(children)))
    grants: list[tuple[Role, dict[str, int]]] = [(Role.CURATOR, {"school_id": s}) for s in schools]
    grants += [(Role.MUNICIPAL, {"municipality_id": m}) for m in out.municipality_ids]
    grants.append((Role.REGIONAL, {"region_id": out.region_id}))
    staff0 = parent0 + len(children)
    for i, (role, _) in enumerate(grants):
        out.staff_ids.setdefault(role.value, []).append(staff0 + i)
    people = [
        _person(
            u, shape, PersonKind.STUDENT, now, school_id=out.school_of_student[u], grade=5 + i % 7
        )
        for i, u in enumerate(out.student_ids)
    ]
    people += [_person(p, shape, PersonKind.PARENT, now) for p in out.parent_ids]
    people += [_person(staff0 + i, shape, PersonKind.STAFF, now) for i in range(len(grants))]
    await bulk(session, User, people)
    await bulk(
        session,
        ParentLink,
        [
            {"parent_id": p, "child_id": c, "created_at": now}
            for p, c in zip(out.parent_ids, children, strict=True)
        ],
    )
    await bulk(
        session,
        RoleGrant,
        [
            {"user_id": staff0 + i, "role": role, "created_at": now, **scope}
            for i, (role, scope) in enumerate(grants)
        ],
    )
