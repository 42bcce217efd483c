"""Which people a transaction changed, seen by the session itself so no writer can forget it.

Every session of the app is of a class with these listeners: objects of `User` and `RoleGrant`
that a flush writes, and UPDATE/DELETE statements on their tables, are collected per session;
after the commit the collected person ids are handed to `on_commit` (the people cache bumps
their versions). A statement whose rows cannot be named (no `id = …` / `id IN …` on the person)
marks everyone changed, and so does deleting a place, whose grants the database cascades away.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import (
    BinaryExpression,
    BindParameter,
    BooleanClauseList,
    ClauseElement,
    TextClause,
)

from models.people import RoleGrant, User

PEOPLE_TABLES = {"user_account": "id", "role_grant": "user_id"}
PLACE_TABLES = frozenset({"school", "municipality", "region"})
WRITE_SQL = re.compile(r"^\s*(update|delete|insert)\b.*\b(user_account|role_grant)\b", re.I | re.S)
KEY = "people_changes"


@dataclass
class Changes:
    ids: set[int] = field(default_factory=set)
    everyone: bool = False

    def __bool__(self) -> bool:
        return self.everyone or bool(self.ids)


def tracking_session_class(on_commit: Callable[[Changes], None]) -> type[Session]:
    """A Session subclass whose commits report the people they changed to `on_commit`."""
    cls: type[Session] = type("PeopleTrackingSession", (Session,), {})
    event.listen(cls, "after_flush", _after_flush)
    event.listen(cls, "do_orm_execute", _on_execute)
    event.listen(cls, "after_commit", lambda session: _report(session, on_commit))
    event.listen(cls, "after_rollback", lambda session: session.info.pop(KEY, None))
    return cls


def _changes(session: Session) -> Changes:
    found: Changes = session.info.setdefault(KEY, Changes())
    return found


def _report(session: Session, on_commit: Callable[[Changes], None]) -> None:
    changes = session.info.pop(KEY, None)
    if changes:
        on_commit(changes)


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    changes = _changes(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, User) and obj.id is not None:
            changes.ids.add(obj.id)
        elif isinstance(obj, RoleGrant) and obj.user_id is not None:
            changes.ids.add(obj.user_id)
            changes.ids.update(_old_values(obj, "user_id"))
        elif obj in session.deleted and getattr(obj, "__tablename__", "") in PLACE_TABLES:
            changes.everyone = True


def _old_values(obj: Any, name: str) -> Iterable[int]:
    from sqlalchemy import inspect

    history = inspect(obj).attrs[name].history
    return [v for v in history.deleted or () if isinstance(v, int)]


def _on_execute(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        if WRITE_SQL.match(statement.text):
            _changes(state.session).everyone = True
        return
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(statement, "table", None)
    name = getattr(table, "name", "")
    if name in PEOPLE_TABLES:
        if state.is_insert and name == "user_account":
            return  # a new person is in no cache yet
        ids = _pinned_ids(getattr(statement, "whereclause", None), name, PEOPLE_TABLES[name])
        if ids is None:
            _changes(state.session).everyone = True
        else:
            _changes(state.session).ids.update(ids)
    elif state.is_delete and name in PLACE_TABLES:
        _changes(state.session).everyone = True


def _pinned_ids(where: ClauseElement | None, table: str, column: str) -> set[int] | None:
    """The person ids a WHERE pins with `column = x` or `column IN (…)` ANDed in; else None."""
    if where is None:
        return None
    terms = (
        list(where.clauses)
        if isinstance(where, BooleanClauseList) and where.operator is operators.and_
        else [where]
    )
    for term in terms:
        if not isinstance(term, BinaryExpression):
            continue
        left, right = term.left, term.right
        if not (isinstance(left, Column) and left.table.name == table and left.name == column):
            continue
        if not isinstance(right, BindParameter):
            continue
        value = right.effective_value
        if term.operator is operators.eq and isinstance(value, int):
            return {value}
        if term.operator is operators.in_op and isinstance(value, list | tuple):
            return {v for v in value if isinstance(v, int)}
    return None
