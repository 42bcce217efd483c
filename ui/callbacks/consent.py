"""Callback data of the consent screens (prefix "cs"): ids only, re-checked by the services."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number


class ConAct(StrEnum):
    LIST = "l"  # a parent's children (or a student's own status)
    OPEN = "o"  # one child: the consent text and its state
    GIVE = "g"  # the parent confirms
    WITHDRAW = "w"  # ask to confirm the withdrawal
    WITHDRAW_OK = "W"
    SCHOOL = "s"  # a curator: the school's registered students and their consent
    MARK = "m"  # a curator: the signed paper form is received
    UNMARK = "u"  # a curator: the mark was a mistake


class ConsentCb(CallbackData, prefix="cn"):
    act: ConAct
    id: Number = 0  # the student (or, for SCHOOL, the school)
    sc: Number = 0  # the school of a curator's mark
    pg: Number = 0
