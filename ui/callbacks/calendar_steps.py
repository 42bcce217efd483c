"""Callback data of the data calendars' screens (/steps): prefix "cs", ids and codes only."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number

# Calendars by a one-letter code, so that a step code of 40 characters still fits in 64 bytes.
CALENDAR_LETTERS = {"p": "school_passport", "v": "vpr"}
LETTER_OF = {code: letter for letter, code in CALENDAR_LETTERS.items()}


class CsAct(StrEnum):
    CALENDARS = "c"  # the calendars that concern me
    BOARD = "b"  # a school's steps (page `page`)
    STEP = "s"  # one step's card
    DONE = "d"  # mark the step done (asks for the signed form when the step needs it)
    LAG = "l"  # the schools I watch, lagging first (page `page`)
    MUTE = "m"  # mute or unmute the calendar's nudges


class CsCb(CallbackData, prefix="cs"):
    act: CsAct
    cal: str = ""  # a letter of CALENDAR_LETTERS
    school: Number = 0
    item: str = ""  # a step code, or "<work id>.<step code>"
    page: Number = 0


class CoAct(StrEnum):
    BOARD = "b"  # an office's own steps (page `page`)
    STEP = "s"  # one of them
    DONE = "d"  # mark it done (asks for the signed form when the step needs it)


class CoCb(CallbackData, prefix="co"):
    """The steps a municipal office ("m") or a regional centre ("r") does itself."""

    act: CoAct
    cal: str = ""  # a letter of CALENDAR_LETTERS
    org: str = ""  # "m" a municipality, "r" a region
    id: Number = 0
    item: str = ""  # a step code
    page: Number = 0
