"""Callback data of the reminder buttons and the reminder settings (prefixes "rm", "rp", "rq")."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from models.bounds import Number, SignedNumber


class RemAct(StrEnum):
    OPEN = "o"  # show the event's steps that concern me
    REGISTER = "r"  # the registration deadline is near: go and register
    DONE = "d"  # mark the step done: no more reminders of it
    MUTE = "m"  # no more reminders of this event
    DUE = "l"  # list everything due


class ReminderCb(CallbackData, prefix="rm"):
    act: RemAct
    event_id: Number = 0
    step: str = ""  # a step code: at most 40 characters by the rules schema


class PrefAct(StrEnum):
    MENU = "m"
    OFFSETS = "O"
    OFFSET = "o"  # toggle one offset (value: minutes)
    OFFSETS_RESET = "R"
    QUIET_MENU = "Q"
    QUIET = "q"  # value: index into the quiet-hours choices
    DIGEST_MENU = "G"
    DIGEST = "g"  # value: index into the digest times, -1 switches the digest off
    MUTES = "M"
    CATEGORY = "c"  # toggle a category mute (value: index into the categories)
    UNMUTE = "u"  # value: the mute's id
    CALENDAR = "i"


class RemPrefCb(CallbackData, prefix="rp"):
    act: PrefAct
    value: SignedNumber = 0


class QuietAct(StrEnum):
    LIST = "l"  # every calendar with its quiet hours
    OPEN = "o"  # one calendar: as general or its own
    GENERAL = "g"  # the calendar follows the general quiet hours again
    CUSTOM = "c"  # ask for the calendar's own "HH–HH"


class RemQuietCb(CallbackData, prefix="rq"):
    act: QuietAct
    cal: str = ""  # a calendar's code; checked against the deployment's calendars
