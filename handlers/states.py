"""StatesGroups of multi-step flows, kept apart from the screens that use them."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    """Marks the /start questions as a flow, so that /cancel can leave it."""

    answering = State()


class CalendarStepsFlow(StatesGroup):
    waiting_form = State()  # the signed verification form of a step, as a document
    waiting_plan = State()  # a ВПР plan-schedule file
    waiting_office_form = State()  # the signed form of an office's own step


class CalendarQuietFlow(StatesGroup):
    waiting_hours = State()  # a calendar's own quiet hours, "HH–HH"
