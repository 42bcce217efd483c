"""Callback data of data collections and card completeness (ids only; services re-check)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number


class ColAct(StrEnum):
    LIST = "l"  # a coordinator's collections
    CARD = "c"  # a coordinator's view of one collection: totals
    ORGS = "o"  # its organisations, a page
    REPORT = "r"  # build the .xlsx report
    NEW = "n"  # open a new collection
    ALL = "a"  # concerned: every organisation of my scope
    MUNI = "m"  # concerned: one municipality (`s` is its id)
    SKIP = "k"  # no template file
    MINE = "y"  # an organisation's card of one collection
    SET = "s"  # set the organisation's state (`st`); `ok` confirms a step back
    TEMPLATE = "t"  # send the template file


class ColCb(CallbackData, prefix="dc"):
    act: ColAct
    c: Number = 0
    s: Number = 0
    st: str = ""
    page: Number = 0
    ok: bool = False


class CmpAct(StrEnum):
    HOME = "h"
    REPORT = "p"  # the responsible person types the percentage of school `s`
    UPLOAD = "u"  # a coordinator sends a table
    BLANK = "b"  # the table to fill in
    REMIND = "r"  # remind the organisations in the low band


class CmpCb(CallbackData, prefix="cm"):
    act: CmpAct
    s: Number = 0
