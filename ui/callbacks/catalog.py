"""Callback data of the catalog, "my status", parents and personal-data screens.

Ids only, never names; `ch` is the child a parent acts for (0: the person themselves). Every
value is re-checked by the services: a forged id is refused, never acted on.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number


class CatAct(StrEnum):
    LIST = "l"
    FILTER = "f"  # open the chooser of one filter
    CARD = "c"
    REGISTER = "r"
    UNREGISTER = "u"  # ask to confirm
    UNREGISTER_OK = "U"
    CHILDREN = "h"  # a parent chooses the child


class LevelF(StrEnum):
    ALL = "a"
    SCHOOL = "s"
    MUNICIPAL = "m"
    REGIONAL = "r"


class StatusF(StrEnum):
    ALL = "a"
    REGISTRATION = "o"
    CONDUCTING = "c"
    SUMMARIZING = "s"
    FINISHED = "f"
    CANCELLED = "x"


class FilterKind(StrEnum):
    NONE = "-"
    LEVEL = "l"
    SUBJECT = "s"
    STATUS = "t"


class Origin(StrEnum):
    CATALOG = "c"
    STATUS = "m"


class CatCb(CallbackData, prefix="ca"):
    act: CatAct
    ch: Number = 0
    ev: Number = 0
    pg: Number = 0
    lv: LevelF = LevelF.ALL
    sj: Number = 0
    st: StatusF = StatusF.ALL
    fk: FilterKind = FilterKind.NONE
    o: Origin = Origin.CATALOG


class MyCb(CallbackData, prefix="my"):
    ch: Number = 0
    pg: Number = 0


class ParAct(StrEnum):
    LIST = "l"
    CHILD = "c"
    LINK = "k"  # enter a child's code
    CREATE = "n"  # create a managed profile
    SCHOOLS = "p"  # a page of schools for the new profile
    SCHOOL = "s"
    GRADE = "g"
    UNLINK = "u"  # ask to confirm
    UNLINK_OK = "U"
    NEW_CODE = "w"  # the child asks for a fresh code
    DROP_PARENT = "d"  # the child removes a parent (ask to confirm)
    DROP_PARENT_OK = "D"


class ParCb(CallbackData, prefix="pa"):
    act: ParAct
    id: Number = 0
    pg: Number = 0


class PdAct(StrEnum):
    SHOW = "s"
    ASK = "a"
    ERASE = "e"


class PdCb(CallbackData, prefix="pd"):
    act: PdAct
