"""StatesGroups of the data-collection and card-completeness flows."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class CollectionFlow(StatesGroup):
    title = State()
    opens = State()
    closes = State()
    orgs = State()  # buttons: all of my scope, or one municipality
    template = State()  # a document, or «Skip»


class CompletenessFlow(StatesGroup):
    percent = State()  # the school's id is in the state data
    table = State()
