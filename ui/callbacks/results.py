"""Callback data of the results, next-stage list and export screens (ids, never names)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number


class ResAct(StrEnum):
    LIST = "l"  # the events I work on
    EVENT = "e"  # one event's results card
    PEOPLE = "p"  # a page of its participants
    PERSON = "o"  # one participant
    PLACE = "w"  # mark a placement (value: winner / prize / participant)
    MAX = "m"  # ask for the maximum score
    PASSING = "s"  # ask for the passing score
    AUTO = "a"  # placements by the rule
    PUBLISH = "u"  # ask to confirm publication
    CONFIRM = "c"  # publish
    TEMPLATE = "t"  # the blank results file


class ResCb(CallbackData, prefix="rsl"):
    act: ResAct
    event_id: Number = 0
    reg_id: Number = 0
    page: Number = 0
    value: str = ""


class AdmAct(StrEnum):
    PREVIEW = "v"
    COMMIT = "c"
    AWARDS = "a"  # ask for last year's winners file
    TEMPLATE = "t"  # the blank winners file


class AdmCb(CallbackData, prefix="nxs"):
    act: AdmAct
    level: str  # the stage being formed: "municipal" or "regional"
    scope_id: Number  # its municipality or region


class ExpCb(CallbackData, prefix="xpo"):
    layout: str  # services.exports.Layout
