"""StatesGroups of the participant codes and appeals flows."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class CodesFlow(StatesGroup):
    upload = State()  # on an event's codes screen: a file is its codes
    time = State()  # the release time is expected


class AppealFlow(StatesGroup):
    task = State()  # which task
    reason = State()  # why
    confirm = State()  # the summary with «Send» / «Cancel»


class AppealAnswerFlow(StatesGroup):
    score = State()  # the new score after an upheld appeal
    window = State()  # the event's appeal window
