"""Callback data of invitations, the staff list and the audit log (ids only, never names)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number


class InvAct(StrEnum):
    ROLES = "R"  # back to the choice of role
    ROLE = "r"  # a role was chosen: show the first list of places
    LIST = "l"  # a list of places: `kind` under `id`, page `page`
    PICK = "p"  # a place was chosen: go deeper, or make the invitation
    PAGE = "g"  # a page of my pending invitations
    REVOKE = "x"  # take back invitation `id`


class InvCb(CallbackData, prefix="inv"):
    act: InvAct
    role: str = ""
    kind: str = ""  # "r" regions, "m" municipalities, "s" schools
    id: Number = 0
    page: Number = 0


class InvCalCb(CallbackData, prefix="ivc"):
    """The calendars an invitation to a data-calendar role is for, once its place is chosen."""

    role: str
    id: Number  # the place, of the role's own kind (region, municipality or school)
    cal: str = ""  # a calendar's code; "" for every calendar


class StaffAct(StrEnum):
    PAGE = "p"
    ASK = "a"  # confirm taking the role `grant_id` away
    REVOKE = "r"


class StaffCb(CallbackData, prefix="stf"):
    act: StaffAct
    grant_id: Number = 0
    page: Number = 0


class AuditAct(StrEnum):
    PAGE = "p"
    EXPORT = "x"


class AuditCb(CallbackData, prefix="aud"):
    act: AuditAct
    page: Number = 0
