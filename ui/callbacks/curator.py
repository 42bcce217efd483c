"""Callback data of the school curator's screens (ids only; services re-check every one)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number


class CurAct(StrEnum):
    SCHOOLS = "S"
    HOME = "h"
    GRADE = "g"
    STUDENT = "s"
    CODE = "c"
    EVENTS = "e"
    EVENT = "E"
    TICKS = "k"
    TICK = "t"
    TICK_ALL = "a"
    CONFIRM = "y"
    REGISTER = "r"
    OVERVIEW = "o"
    UPLOAD = "u"
    TEMPLATE = "T"


class CurCb(CallbackData, prefix="cu"):
    act: CurAct
    school: Number
    grade: Number = 0
    event: Number = 0
    student: Number = 0
    page: Number = 0
