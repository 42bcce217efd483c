"""StatesGroups of the stage flows (kept apart from the screens that use them)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class StageFlow(StatesGroup):
    waiting_file = State()
    confirming = State()


class StatusFlow(StatesGroup):
    choosing = State()
    waiting_reason = State()
    confirming = State()


class EventEditFlow(StatesGroup):
    waiting_value = State()
