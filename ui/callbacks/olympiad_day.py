"""Callback data of the participant codes and appeals screens (ids, never names or codes)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number


class CodeAct(StrEnum):
    LIST = "l"
    EVENT = "e"
    TIME = "t"  # ask for the release time
    ASK = "a"  # ask to confirm a reissue
    REISSUE = "r"
    TEMPLATE = "f"  # the blank codes file


class CodeCb(CallbackData, prefix="pcd"):
    act: CodeAct
    ev: Number = 0
    id: Number = 0  # a code's row


class ApAct(StrEnum):
    FILE = "f"  # a participant starts an appeal (id: the registration)
    SEND = "s"  # the participant confirms
    CANCEL = "x"  # the participant gives up filing
    LIST = "l"  # the organiser's events with appeals
    EVENT = "e"  # the appeals of one event
    OPEN = "o"  # one appeal
    KEEP = "k"  # answer: the score stays
    CHANGE = "c"  # answer: ask for the new score
    WINDOW = "w"  # ask for the event's appeal window


class ApCb(CallbackData, prefix="apl"):
    act: ApAct
    id: Number = 0
    ev: Number = 0
