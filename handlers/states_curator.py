"""The school curator's multi-step flows."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class CuratorFlow(StatesGroup):
    upload = State()  # waiting for the list file of a school (its id is in the state data)


class ClaimFlow(StatesGroup):
    code = State()  # /claim without a code: the next message is the code
