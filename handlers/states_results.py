"""StatesGroups of the results and next-stage list flows."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ResultsFlow(StatesGroup):
    event = State()  # on an event's card: typed lines or a file are its results
    score = State()  # one participant's score is expected
    max_score = State()
    passing = State()


class AdmissionFlow(StatesGroup):
    awards = State()  # last year's winners file is expected
