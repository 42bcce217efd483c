"""Callback data of the foundation screens (prefixes are 2–3 letters and unique)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number


class OnbStep(StrEnum):
    LANG = "l"
    KIND = "k"
    REGIONS = "R"
    REGION = "r"
    MUNI = "m"
    SCHOOL = "s"
    GRADE = "g"


class OnbCb(CallbackData, prefix="ob"):
    step: OnbStep
    value: str = ""
    id: Number = 0
    page: Number = 0


class SetAct(StrEnum):
    MENU = "m"
    LANGS = "L"
    LANG = "l"
    ZONES = "Z"
    ZONE = "z"
    SCHOOL_ZONE = "s"


class SetCb(CallbackData, prefix="st"):
    act: SetAct
    value: str = ""
    index: Number = 0
