"""The one place that decides whether a staff member may act on a target.

A decision takes (who, action, where, optionally the olympiad level) and either returns the grant
that allows it or raises `Refused("forbidden")`. Handlers never check roles themselves.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from models.enums import Level, Role
from models.people import RoleGrant
from services.errors import Refused
from services.identity import Identity
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


_STAGE_ACTIONS = {
    Action.CREATE_STAGE,
    Action.EDIT_EVENT,
    Action.CHANGE_STATUS,
    Action.PUBLISH_RESULTS,
    Action.FORM_LIST,
}
_MONITOR_ACTIONS = {
    Action.LIST_STAFF,
    Action.REVOKE_ROLE,
    Action.VIEW_OVERVIEW,
    Action.EXPORT,
    Action.VIEW_AUDIT,
    Action.VIEW_SCHOOL,
}

# Which olympiad levels each organiser runs (DOMAIN.md: municipal runs school + municipal).
ORGANISES: dict[Role, frozenset[Level]] = {
    Role.REGIONAL: frozenset({Level.REGIONAL}),
    Role.MUNICIPAL: frozenset({Level.SCHOOL, Level.MUNICIPAL}),
}

ALLOWED: dict[Role, frozenset[Action]] = {
    Role.REGIONAL: frozenset(
        _STAGE_ACTIONS | _MONITOR_ACTIONS | {Action.INVITE_MUNICIPAL, Action.ENTER_RESULTS}
    ),
    Role.MUNICIPAL: frozenset(
        _STAGE_ACTIONS | _MONITOR_ACTIONS | {Action.INVITE_CURATOR, Action.ENTER_RESULTS}
    ),
    Role.CURATOR: frozenset(
        {Action.VIEW_SCHOOL, Action.REGISTER_STUDENTS, Action.ENTER_RESULTS, Action.EXPORT}
    ),
}


def _level_ok(role: Role, action: Action, level: Level | None) -> bool:
    if level is None:
        return True
    if role == Role.CURATOR:
        return level == Level.SCHOOL  # curators act on the school stage only
    if action in _STAGE_ACTIONS or action == Action.ENTER_RESULTS:
        return level in ORGANISES.get(role, frozenset())
    return True


def allowing_grant(
    ident: Identity, action: Action, target: Scope, level: Level | None = None
) -> RoleGrant | None:
    """The grant that allows the action, or None (admins are allowed without one)."""
    for grant in ident.grants:
        role = Role(grant.role)
        if role == Role.ADMIN:
            return grant
        if action not in ALLOWED.get(role, frozenset()):
            continue
        if target.within(grant_scope(grant)) and _level_ok(role, action, level):
            return grant
    return None


def authorize(
    ident: Identity, action: Action, target: Scope, level: Level | None = None
) -> RoleGrant | None:
    """Returns the allowing grant (None for a deployment admin) or refuses."""
    if ident.is_admin:
        return None
    grant = allowing_grant(ident, action, target, level)
    if grant is None:
        log.warning(
            "refused staff action",
            extra={"user_id": ident.user.id, "action": str(action), "target": target},
        )
        raise Refused("forbidden")
    return grant


def allowed(ident: Identity, action: Action, target: Scope, level: Level | None = None) -> bool:
    return ident.is_admin or allowing_grant(ident, action, target, level) is not None
