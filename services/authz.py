"""The one place that decides whether a staff member may act on a target.

A decision takes (who, action, where, optionally the olympiad level) and either returns the grant
that allows it or raises `Refused("forbidden")`, logging the refusal. Handlers never check roles
themselves. Pass `level` whenever the target is an event or a stage: without it only the role and
the scope are checked ("may do this at some level"), which is what menus need.

Targets must carry their whole chain (a school's scope names its municipality and region); the
helpers in `services.scopes` build such scopes.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from models.enums import Level, Role
from models.people import RoleGrant
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope, grant_scope

log = logging.getLogger(__name__)


class Action(StrEnum):
    INVITE_REGIONAL = "invite_regional"
    INVITE_MUNICIPAL = "invite_municipal"
    INVITE_CURATOR = "invite_curator"
    LIST_STAFF = "list_staff"
    REVOKE_ROLE = "revoke_role"
    LOAD_REFERENCE = "load_reference"
    CREATE_STAGE = "create_stage"
    EDIT_EVENT = "edit_event"
    CHANGE_STATUS = "change_status"
    ENTER_RESULTS = "enter_results"
    PUBLISH_RESULTS = "publish_results"
    FORM_LIST = "form_list"
    VIEW_OVERVIEW = "view_overview"
    EXPORT = "export"
    VIEW_AUDIT = "view_audit"
    VIEW_SCHOOL = "view_school"
    REGISTER_STUDENTS = "register_students"
    # The schools' data calendars (Паспорт школы, ВПР, ...):
    INVITE_DATA_OPERATOR = "invite_data_operator"
    INVITE_MUNICIPAL_OFFICE = "invite_municipal_office"
    INVITE_REGIONAL_CENTRE = "invite_regional_centre"
    MARK_STEP = "mark_step"  # mark a step of my organisation done
    MARK_OFFICE_STEP = "mark_office_step"  # a step the municipal office itself does
    MARK_CENTRE_STEP = "mark_centre_step"  # a step the regional data centre itself does
    MONITOR_STEPS = "monitor_steps"  # see which organisations below have not
    UPLOAD_PLAN = "upload_plan"  # upload a plan-schedule (ВПР) for my scope
    MARK_CONSENT = "mark_consent"  # a parent's signed paper form received at the school
    UPLOAD_CODES = "upload_codes"
    REISSUE_CODE = "reissue_code"
    ANSWER_APPEALS = "answer_appeals"


# Acts of the organiser of a stage: only at the levels the role organises.
_STAGE_ACTIONS = frozenset(
    {
        Action.CREATE_STAGE,
        Action.EDIT_EVENT,
        Action.CHANGE_STATUS,
        Action.PUBLISH_RESULTS,
        Action.FORM_LIST,
        Action.UPLOAD_CODES,
        Action.REISSUE_CODE,
        Action.ANSWER_APPEALS,
    }
)
# Looking after the people and places below: at any level, inside the scope.
_MONITOR_ACTIONS = frozenset(
    {
        Action.LIST_STAFF,
        Action.REVOKE_ROLE,
        Action.VIEW_OVERVIEW,
        Action.EXPORT,
        Action.VIEW_AUDIT,
        Action.VIEW_SCHOOL,
    }
)

# Which olympiad levels each organiser runs (DOMAIN.md: municipal runs school + municipal).
ORGANISES: dict[Role, frozenset[Level]] = {
    Role.REGIONAL: frozenset({Level.REGIONAL}),
    Role.MUNICIPAL: frozenset({Level.SCHOOL, Level.MUNICIPAL}),
}
# Who enters results (seed 000): the school's curator, the municipal and regional coordinators
# each for their own stage only.
ENTERS_RESULTS: dict[Role, Level] = {
    Role.CURATOR: Level.SCHOOL,
    Role.MUNICIPAL: Level.MUNICIPAL,
    Role.REGIONAL: Level.REGIONAL,
}

ALLOWED: dict[Role, frozenset[Action]] = {
    Role.REGIONAL: _STAGE_ACTIONS
    | _MONITOR_ACTIONS
    | {Action.INVITE_MUNICIPAL, Action.ENTER_RESULTS},
    Role.MUNICIPAL: _STAGE_ACTIONS
    | _MONITOR_ACTIONS
    | {Action.INVITE_CURATOR, Action.ENTER_RESULTS},
    Role.CURATOR: frozenset(
        {
            Action.VIEW_SCHOOL,
            Action.REGISTER_STUDENTS,
            Action.ENTER_RESULTS,
            Action.EXPORT,
            Action.MARK_CONSENT,
            Action.REISSUE_CODE,
        }
    ),
    Role.DATA_OPERATOR: frozenset({Action.MARK_STEP}),
    # A school's step is marked by the school's own responsible person, not by those who watch;
    # the office's and the centre's own steps by their holders, not by the level above.
    Role.MUNICIPAL_OFFICE: frozenset(
        {
            Action.MONITOR_STEPS,
            Action.UPLOAD_PLAN,
            Action.INVITE_DATA_OPERATOR,
            Action.MARK_OFFICE_STEP,
        }
    ),
    Role.REGIONAL_CENTRE: frozenset(
        {
            Action.MONITOR_STEPS,
            Action.MARK_CENTRE_STEP,
            Action.UPLOAD_PLAN,
            Action.INVITE_DATA_OPERATOR,
            Action.INVITE_MUNICIPAL_OFFICE,
        }
    ),
}
# Actions whose grants may be limited to one calendar (`RoleGrant.calendar`).
CALENDAR_ACTIONS = frozenset(
    {
        Action.MARK_STEP,
        Action.MARK_OFFICE_STEP,
        Action.MARK_CENTRE_STEP,
        Action.MONITOR_STEPS,
        Action.UPLOAD_PLAN,
    }
)

# Inviting someone to a role is its own action, so the table above also says who grants what:
# admin → regional (admins may grant any role), regional → municipal, municipal → curator.
INVITE_ACTION: dict[Role, Action] = {
    Role.REGIONAL: Action.INVITE_REGIONAL,
    Role.MUNICIPAL: Action.INVITE_MUNICIPAL,
    Role.CURATOR: Action.INVITE_CURATOR,
    # The data calendars' chain: admin → regional centre → municipal office → data operator.
    Role.REGIONAL_CENTRE: Action.INVITE_REGIONAL_CENTRE,
    Role.MUNICIPAL_OFFICE: Action.INVITE_MUNICIPAL_OFFICE,
    Role.DATA_OPERATOR: Action.INVITE_DATA_OPERATOR,
}
RANK: dict[Role, int] = {
    Role.CURATOR: 1,
    Role.DATA_OPERATOR: 1,
    Role.MUNICIPAL: 2,
    Role.MUNICIPAL_OFFICE: 2,
    Role.REGIONAL: 3,
    Role.REGIONAL_CENTRE: 3,
    Role.ADMIN: 4,
}
# The size of place each role is held over.
SCHOOL_ROLES = frozenset({Role.CURATOR, Role.DATA_OPERATOR})
MUNICIPAL_ROLES = frozenset({Role.MUNICIPAL, Role.MUNICIPAL_OFFICE})
REGIONAL_ROLES = frozenset({Role.REGIONAL, Role.REGIONAL_CENTRE})
# The roles of the data calendars: a grant of one may be held in one calendar only.
CALENDAR_ROLES = frozenset({Role.DATA_OPERATOR, Role.MUNICIPAL_OFFICE, Role.REGIONAL_CENTRE})


def _level_ok(role: Role, action: Action, level: Level | None) -> bool:
    if level is None:
        return True
    if action == Action.ENTER_RESULTS:
        return ENTERS_RESULTS.get(role) == level
    if role == Role.CURATOR:
        # Curators act on the school stage only, but look after their students' codes at every
        # stage (the students sit the later stages as their school's students too).
        return level == Level.SCHOOL or action == Action.REISSUE_CODE
    if action in _STAGE_ACTIONS:
        return level in ORGANISES.get(role, frozenset())
    return True


def _calendar_ok(grant: RoleGrant, action: Action, calendar: str | None) -> bool:
    """A grant held in one calendar allows that calendar's acts only (None asks "any")."""
    held_in = getattr(grant, "calendar", None)
    return (
        held_in is None
        or calendar is None
        or action not in CALENDAR_ACTIONS
        or (held_in == calendar)
    )


def allowing_grant(
    ident: Identity,
    action: Action,
    target: Scope,
    level: Level | None = None,
    calendar: str | None = None,
) -> RoleGrant | None:
    """The grant that allows the action, or None (admins are allowed without one)."""
    for grant in ident.grants:
        role = Role(grant.role)
        if role == Role.ADMIN:
            return grant
        if action not in ALLOWED.get(role, frozenset()):
            continue
        if not _calendar_ok(grant, action, calendar):
            continue
        if target.within(grant_scope(grant)) and _level_ok(role, action, level):
            return grant
    return None


def _refuse(ident: Identity, action: str, target: Scope) -> Refused:
    log.warning(
        "refused staff action",
        extra={"user_id": ident.user.id, "action": action, "target": target},
    )
    return Refused("forbidden")


def authorize(
    ident: Identity,
    action: Action,
    target: Scope,
    level: Level | None = None,
    calendar: str | None = None,
) -> RoleGrant | None:
    """Returns the allowing grant (None for a deployment admin) or refuses."""
    if ident.is_admin:
        return None
    grant = allowing_grant(ident, action, target, level, calendar)
    if grant is None:
        raise _refuse(ident, str(action), target)
    return grant


def allowed(
    ident: Identity,
    action: Action,
    target: Scope,
    level: Level | None = None,
    calendar: str | None = None,
) -> bool:
    return ident.is_admin or allowing_grant(ident, action, target, level, calendar) is not None


def is_admin(ident: Identity) -> bool:
    """A deployment admin (ADMIN_IDS) or the holder of a stored admin grant."""
    return ident.is_admin or any(g.role == Role.ADMIN for g in ident.grants)


def may_act_somewhere(ident: Identity, action: Action) -> bool:
    """Whether any of my roles includes the action, wherever; for menus and entry commands."""
    return is_admin(ident) or any(action in ALLOWED.get(g.role, ()) for g in ident.grants)


def authorize_entry(ident: Identity, action: Action) -> None:
    """Refuses (and logs) a command the person has no role for at all."""
    if not may_act_somewhere(ident, action):
        raise _refuse(ident, str(action), Scope())


def grantable_roles(ident: Identity) -> tuple[Role, ...]:
    """The roles I may invite someone to, highest first."""
    return tuple(
        role
        for role in sorted(INVITE_ACTION, key=RANK.__getitem__, reverse=True)
        if may_act_somewhere(ident, INVITE_ACTION[role])
    )


def authorize_inviter(ident: Identity) -> None:
    """Refuses (and logs) someone who may invite nobody at all."""
    if not grantable_roles(ident):
        raise _refuse(ident, "invite", Scope())


def authorize_invitation_revoke(ident: Identity, created_by_id: int, target: Scope) -> None:
    """An invitation is taken back by whoever made it, or by an admin."""
    if created_by_id != ident.user.id and not is_admin(ident):
        raise _refuse(ident, "revoke_invitation", target)


def scope_fits(role: Role, target: Scope) -> bool:
    """A role is held over a place of its own size: a region, a municipality or a school."""
    if role in REGIONAL_ROLES:
        return target.region_id is not None and target.municipality_id is None
    if role in MUNICIPAL_ROLES:
        return target.municipality_id is not None and target.school_id is None
    if role in SCHOOL_ROLES:
        return target.school_id is not None
    return False


def authorize_invite(ident: Identity, role: Role, target: Scope) -> RoleGrant | None:
    """May I invite someone to hold `role` over `target`? Refuses otherwise."""
    action = INVITE_ACTION.get(role)
    if action is None or not scope_fits(role, target):
        raise _refuse(ident, f"invite_{role}", target)
    return authorize(ident, action, target)


def may_revoke(ident: Identity, role: Role, scope: Scope, granted_by_id: int | None) -> bool:
    """A role I granted, or any role below mine, inside my scope; admins revoke any role."""
    if is_admin(ident):
        return True
    for grant in ident.grants:
        mine = Role(grant.role)
        if Action.REVOKE_ROLE not in ALLOWED.get(mine, frozenset()):
            continue
        if not scope.within(grant_scope(grant)):
            continue
        if RANK[role] < RANK[mine] or granted_by_id == ident.user.id:
            return True
    return False


def authorize_revoke(ident: Identity, role: Role, scope: Scope, granted_by_id: int | None) -> None:
    if not may_revoke(ident, role, scope, granted_by_id):
        raise _refuse(ident, f"revoke_{role}", scope)
