"""The authorisation table: every action × role × place (in and out of scope) × level.

The expectations are written from DOMAIN.md and the issue, not from `ALLOWED`: a change to the
table that is not a change to the rules fails here.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from models.enums import Level, PersonKind, Role
from models.people import RoleGrant, User
from services.authz import (
    Action,
    allowed,
    authorize,
    authorize_invite,
    authorize_revoke,
    grantable_roles,
    may_revoke,
    scope_fits,
)
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope

NOW = datetime(2026, 10, 5, tzinfo=UTC)
ME = 1
# Region 1 holds municipalities 10 and 11; school 100 is in 10, school 110 in 11.
# Region 2 holds municipality 20 with school 200: outside everyone's scope but the admin's.
SCHOOL = Scope(1, 10, 100)
MUNI = Scope(1, 10)
REGION = Scope(1)
SIBLING_SCHOOL = Scope(1, 11, 110)
SIBLING_MUNI = Scope(1, 11)
OTHER_SCHOOL = Scope(2, 20, 200)
OTHER_MUNI = Scope(2, 20)
OTHER_REGION = Scope(2)
EVERYWHERE = Scope()
TARGETS = {
    "school": SCHOOL,
    "muni": MUNI,
    "region": REGION,
    "sibling_school": SIBLING_SCHOOL,
    "sibling_muni": SIBLING_MUNI,
    "other_school": OTHER_SCHOOL,
    "other_muni": OTHER_MUNI,
    "other_region": OTHER_REGION,
    "deployment": EVERYWHERE,
}
ROLES = (
    "none",
    "student",
    "parent",
    "curator",
    "municipal",
    "regional",
    "admin",
    "data_operator",
    "municipal_office",
    "regional_centre",
)
LEVELS = (None, Level.SCHOOL, Level.MUNICIPAL, Level.REGIONAL)


def _grant(role: Role, scope: Scope, grant_id: int = 1) -> RoleGrant:
    return RoleGrant(
        id=grant_id,
        user_id=ME,
        role=role,
        region_id=scope.region_id,
        municipality_id=scope.municipality_id,
        school_id=scope.school_id,
        created_at=NOW,
    )


def identity(role: str) -> Identity:
    kind = {"student": PersonKind.STUDENT, "parent": PersonKind.PARENT}.get(role)
    user = User(id=ME, tg_id=5000, full_name="Тест", kind=kind, created_at=NOW)
    if role == "admin":
        return Identity(user, is_admin=True)
    # Grants the way they are often stored: only the narrowest id of the place.
    grants = {
        "curator": (_grant(Role.CURATOR, Scope(school_id=100)),),
        "municipal": (_grant(Role.MUNICIPAL, Scope(1, 10)),),
        "regional": (_grant(Role.REGIONAL, Scope(1)),),
        "data_operator": (_grant(Role.DATA_OPERATOR, Scope(school_id=100)),),
        "municipal_office": (_grant(Role.MUNICIPAL_OFFICE, Scope(1, 10)),),
        "regional_centre": (_grant(Role.REGIONAL_CENTRE, Scope(1)),),
    }.get(role, ())
    return Identity(user, grants=grants)


# Where each role's scope reaches.
IN_SCOPE = {
    "curator": {"school"},
    "municipal": {"school", "muni"},
    "regional": {"school", "muni", "region", "sibling_school", "sibling_muni"},
    "admin": set(TARGETS),
    "data_operator": {"school"},
    "municipal_office": {"school", "muni"},
    "regional_centre": {"school", "muni", "region", "sibling_school", "sibling_muni"},
}
STAGE = {
    Action.CREATE_STAGE,
    Action.EDIT_EVENT,
    Action.CHANGE_STATUS,
    Action.PUBLISH_RESULTS,
    Action.FORM_LIST,
    Action.UPLOAD_CODES,
    Action.REISSUE_CODE,
    Action.ANSWER_APPEALS,
}
MONITOR = {
    Action.LIST_STAFF,
    Action.REVOKE_ROLE,
    Action.VIEW_OVERVIEW,
    Action.VIEW_AUDIT,
    Action.EXPORT,
    Action.VIEW_SCHOOL,
}
# The levels a role may act at, per action (None: any level); absent: never.
RULES: dict[str, dict[Action, set[Level] | None]] = {
    "curator": {
        Action.VIEW_SCHOOL: {Level.SCHOOL},
        Action.EXPORT: {Level.SCHOOL},
        Action.REGISTER_STUDENTS: {Level.SCHOOL},
        Action.ENTER_RESULTS: {Level.SCHOOL},
        Action.MARK_CONSENT: {Level.SCHOOL},  # a paper form received at the school
        # Their students' codes at every stage the students sit.
        Action.REISSUE_CODE: None,
    },
    "municipal": {
        **{a: None for a in MONITOR},
        **{a: {Level.SCHOOL, Level.MUNICIPAL} for a in STAGE},
        Action.ENTER_RESULTS: {Level.MUNICIPAL},
        Action.INVITE_CURATOR: None,
    },
    "regional": {
        **{a: None for a in MONITOR},
        **{a: {Level.REGIONAL} for a in STAGE},
        Action.ENTER_RESULTS: {Level.REGIONAL},
        Action.INVITE_MUNICIPAL: None,
    },
    # The data calendars: a school's operator marks the school's steps; the office and the centre
    # watch the schools below and mark only the steps of their own level (issue 14).
    "data_operator": {Action.MARK_STEP: None},
    "municipal_office": {
        Action.MONITOR_STEPS: None,
        Action.UPLOAD_PLAN: None,
        Action.INVITE_DATA_OPERATOR: None,
        Action.MARK_OFFICE_STEP: None,
    },
    "regional_centre": {
        Action.MONITOR_STEPS: None,
        Action.UPLOAD_PLAN: None,
        Action.INVITE_DATA_OPERATOR: None,
        Action.INVITE_MUNICIPAL_OFFICE: None,
        Action.MARK_CENTRE_STEP: None,
    },
}


def expected(role: str, action: Action, target: str, level: Level | None) -> bool:
    if role == "admin":
        return True
    rules = RULES.get(role, {})
    if action not in rules or target not in IN_SCOPE.get(role, set()):
        return False
    levels = rules[action]
    return level is None or levels is None or level in levels


CASES = [
    pytest.param(role, action, target, level, id=f"{role}-{action}-{target}-{level}")
    for role in ROLES
    for action in Action
    for target in TARGETS
    for level in LEVELS
]


@pytest.mark.parametrize(("role", "action", "target", "level"), CASES)
def test_matrix(role: str, action: Action, target: str, level: Level | None) -> None:
    ident = identity(role)
    want = expected(role, action, target, level)
    assert allowed(ident, action, TARGETS[target], level) is want
    if want:
        authorize(ident, action, TARGETS[target], level)
    else:
        with pytest.raises(Refused) as refused:
            authorize(ident, action, TARGETS[target], level)
        assert refused.value.reason == "forbidden"


def test_a_refusal_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="services.authz"), pytest.raises(Refused):
        authorize(identity("municipal"), Action.CHANGE_STATUS, OTHER_MUNI, Level.MUNICIPAL)
    record = caplog.records[-1]
    assert record.message == "refused staff action"
    assert record.action == "change_status"  # type: ignore[attr-defined]


def test_authorize_returns_the_grant_that_allows() -> None:
    ident = identity("municipal")
    assert authorize(ident, Action.CHANGE_STATUS, SCHOOL, Level.SCHOOL) is ident.grants[0]
    assert authorize(identity("admin"), Action.LOAD_REFERENCE, EVERYWHERE) is None


def test_several_roles_add_up() -> None:
    user = User(id=ME, tg_id=1, full_name="", created_at=NOW)
    ident = Identity(
        user,
        grants=(_grant(Role.CURATOR, SIBLING_SCHOOL, 1), _grant(Role.MUNICIPAL, MUNI, 2)),
    )
    assert allowed(ident, Action.REGISTER_STUDENTS, SIBLING_SCHOOL, Level.SCHOOL)
    assert not allowed(ident, Action.REGISTER_STUDENTS, SCHOOL, Level.SCHOOL)
    assert allowed(ident, Action.CHANGE_STATUS, SCHOOL, Level.SCHOOL)
    assert not allowed(ident, Action.CHANGE_STATUS, SIBLING_SCHOOL, Level.SCHOOL)


@pytest.mark.parametrize(
    ("role", "roles"),
    [
        ("none", ()),
        ("student", ()),
        ("parent", ()),
        ("curator", ()),
        ("municipal", (Role.CURATOR,)),
        ("regional", (Role.MUNICIPAL,)),
        (
            "admin",
            (
                Role.REGIONAL,
                Role.REGIONAL_CENTRE,
                Role.MUNICIPAL,
                Role.MUNICIPAL_OFFICE,
                Role.CURATOR,
                Role.DATA_OPERATOR,
            ),
        ),
        ("data_operator", ()),
        ("municipal_office", (Role.DATA_OPERATOR,)),
        ("regional_centre", (Role.MUNICIPAL_OFFICE, Role.DATA_OPERATOR)),
    ],
)
def test_who_grants_what(role: str, roles: tuple[Role, ...]) -> None:
    assert grantable_roles(identity(role)) == roles


INVITES = [
    # (inviter, role invited, target, allowed)
    ("admin", Role.REGIONAL, OTHER_REGION, True),
    ("admin", Role.MUNICIPAL, OTHER_MUNI, True),
    ("admin", Role.CURATOR, OTHER_SCHOOL, True),
    ("regional", Role.MUNICIPAL, SIBLING_MUNI, True),
    ("regional", Role.MUNICIPAL, OTHER_MUNI, False),
    ("regional", Role.REGIONAL, REGION, False),
    ("regional", Role.CURATOR, SCHOOL, False),
    ("municipal", Role.CURATOR, SCHOOL, True),
    ("municipal", Role.CURATOR, SIBLING_SCHOOL, False),
    ("municipal", Role.MUNICIPAL, MUNI, False),
    ("curator", Role.CURATOR, SCHOOL, False),
    ("student", Role.CURATOR, SCHOOL, False),
    ("none", Role.REGIONAL, REGION, False),
    # A role is held over a place of its own size.
    ("admin", Role.REGIONAL, MUNI, False),
    ("admin", Role.MUNICIPAL, SCHOOL, False),
    ("admin", Role.CURATOR, MUNI, False),
    ("admin", Role.ADMIN, EVERYWHERE, False),
]


@pytest.mark.parametrize(("who", "role", "target", "ok"), INVITES)
def test_invite(who: str, role: Role, target: Scope, ok: bool) -> None:
    ident = identity(who)
    if ok:
        authorize_invite(ident, role, target)
    else:
        with pytest.raises(Refused, match="forbidden"):
            authorize_invite(ident, role, target)


OTHER_USER = 99
REVOKES = [
    # (revoker, holder's role, holder's place, granted by, allowed)
    ("admin", Role.REGIONAL, OTHER_REGION, OTHER_USER, True),
    ("regional", Role.MUNICIPAL, SIBLING_MUNI, OTHER_USER, True),
    ("regional", Role.CURATOR, SIBLING_SCHOOL, OTHER_USER, True),
    ("regional", Role.MUNICIPAL, OTHER_MUNI, ME, False),
    ("regional", Role.REGIONAL, REGION, OTHER_USER, False),
    ("regional", Role.REGIONAL, REGION, ME, True),
    ("municipal", Role.CURATOR, SCHOOL, OTHER_USER, True),
    ("municipal", Role.CURATOR, SIBLING_SCHOOL, ME, False),
    ("municipal", Role.MUNICIPAL, MUNI, OTHER_USER, False),
    ("municipal", Role.REGIONAL, REGION, OTHER_USER, False),
    ("curator", Role.CURATOR, SCHOOL, OTHER_USER, False),
    ("curator", Role.CURATOR, SCHOOL, ME, False),
    ("student", Role.CURATOR, SCHOOL, OTHER_USER, False),
    ("parent", Role.CURATOR, SCHOOL, OTHER_USER, False),
    ("none", Role.CURATOR, SCHOOL, OTHER_USER, False),
]


@pytest.mark.parametrize(("who", "role", "place", "granted_by", "ok"), REVOKES)
def test_revoke(who: str, role: Role, place: Scope, granted_by: int, ok: bool) -> None:
    ident = identity(who)
    assert may_revoke(ident, role, place, granted_by) is ok
    if not ok:
        with pytest.raises(Refused, match="forbidden"):
            authorize_revoke(ident, role, place, granted_by)


def test_a_data_role_held_in_one_calendar_allows_that_calendar_only() -> None:
    user = User(id=ME, tg_id=1, full_name="", created_at=NOW)
    grant = _grant(Role.DATA_OPERATOR, Scope(1, 10, 100))
    grant.calendar = "vpr"
    ident = Identity(user, grants=(grant,))
    school = Scope(1, 10, 100)
    assert allowed(ident, Action.MARK_STEP, school, calendar="vpr")
    assert not allowed(ident, Action.MARK_STEP, school, calendar="school_passport")
    assert not allowed(ident, Action.MARK_STEP, Scope(1, 10, 101), calendar="vpr")
    grant.calendar = None  # every calendar
    assert allowed(ident, Action.MARK_STEP, school, calendar="school_passport")
    # The data roles do nothing of the olympiad.
    assert not allowed(ident, Action.REGISTER_STUDENTS, school, Level.SCHOOL)
    assert not allowed(ident, Action.VIEW_SCHOOL, school)


def test_the_data_roles_are_held_over_a_place_of_their_size() -> None:
    assert scope_fits(Role.DATA_OPERATOR, Scope(1, 10, 100))
    assert not scope_fits(Role.DATA_OPERATOR, Scope(1, 10))
    assert scope_fits(Role.MUNICIPAL_OFFICE, Scope(1, 10))
    assert not scope_fits(Role.MUNICIPAL_OFFICE, Scope(1))
    assert scope_fits(Role.REGIONAL_CENTRE, Scope(1))
    assert not scope_fits(Role.REGIONAL_CENTRE, Scope(1, 10, 100))


def test_an_office_marks_its_own_level_in_its_own_place_and_calendar() -> None:
    office, centre = identity("municipal_office"), identity("regional_centre")
    calendar = "school_passport"
    assert allowed(office, Action.MARK_OFFICE_STEP, MUNI, calendar=calendar)
    assert not allowed(office, Action.MARK_OFFICE_STEP, SIBLING_MUNI, calendar=calendar)
    assert not allowed(office, Action.MARK_CENTRE_STEP, REGION, calendar=calendar)
    assert not allowed(office, Action.MARK_STEP, SCHOOL, calendar=calendar)
    # The centre watches the offices but does not mark their steps; it marks its own.
    assert not allowed(centre, Action.MARK_OFFICE_STEP, MUNI, calendar=calendar)
    assert allowed(centre, Action.MARK_CENTRE_STEP, REGION, calendar=calendar)
    assert not allowed(centre, Action.MARK_CENTRE_STEP, OTHER_REGION, calendar=calendar)
    office.grants[0].calendar = "vpr"
    assert not allowed(office, Action.MARK_OFFICE_STEP, MUNI, calendar=calendar)
