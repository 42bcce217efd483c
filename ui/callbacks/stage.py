"""Callback data of the stage screens: creation, status changes, the overview, event cards.

Stages travel as compact codes ("sm12": school stage of municipality 12, "rr3": regional stage
of region 3; services/stage_scope.target_code), events and subjects as ids, never as names.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number


class StageAct(StrEnum):
    PICK = "p"  # a stage was chosen: ask for the file
    DRAFT = "d"  # toggle "create as draft"
    TEMPLATE = "t"  # send the blank schedule
    CONFIRM = "c"
    CANCEL = "x"  # leaves any stage flow: creation, status change, editing


class StageCb(CallbackData, prefix="sg"):
    act: StageAct
    stage: str = ""
    token: str = ""


class StatusAct(StrEnum):
    HOME = "h"  # choose a stage
    STAGE = "s"  # a stage was chosen: choose what to change
    ALL = "a"  # every event of the stage
    SUBJECTS = "j"  # pick subjects of the stage
    TOGGLE = "t"  # tick or untick one subject
    EVENTS = "e"  # pick one event of the stage
    TARGET = "g"  # the new status was chosen
    CONFIRM = "c"


class StatusCb(CallbackData, prefix="ss"):
    act: StatusAct
    stage: str = ""
    event_id: Number = 0
    item: Number = 0  # a subject id, or a page number
    target: str = ""
    token: str = ""


class OverviewAct(StrEnum):
    PAGE = "p"
    CHART = "c"


class OverviewCb(CallbackData, prefix="ov"):
    act: OverviewAct
    level: str = ""  # "" for every level
    page: Number = 0
    kind: str = ""


class EventAct(StrEnum):
    CARD = "c"
    FIELD = "f"


class EventCb(CallbackData, prefix="ee"):
    act: EventAct
    event_id: Number
    field: str = ""
