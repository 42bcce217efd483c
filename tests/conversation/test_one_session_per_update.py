"""An update is one unit of work: one database connection, the FSM state read inside it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, update

from bot.app import App
from models.geo import School
from models.people import User
from tests.support.chat import ChatDriver


async def test_help_from_a_known_person_takes_one_connection(app: App, chat: ChatDriver) -> None:
    await chat.send("/start")  # the person is known from here on
    async with app.sessionmaker() as session, session.begin():
        school = await session.scalar(select(School).order_by(School.id))
        assert school is not None
        await session.execute(
            update(User).where(User.tg_id == chat.user_id).values(school_id=school.id, grade=8)
        )
    checkouts: list[Any] = []
    statements: list[str] = []

    def on_checkout(*_: Any) -> None:
        checkouts.append(1)

    def on_statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        statements.append(sql)

    sync_engine = app.engine.sync_engine
    event.listen(sync_engine, "checkout", on_checkout)
    event.listen(sync_engine, "before_cursor_execute", on_statement)
    try:
        reply = await chat.send("/help")
    finally:
        event.remove(sync_engine, "checkout", on_checkout)
        event.remove(sync_engine, "before_cursor_execute", on_statement)
    assert reply.text  # answered
    assert len(checkouts) == 1  # the FSM state was read in the update's own session
    # The person with their roles, their school's zone and the FSM state: one query in all.
    assert sum(s.lstrip().upper().startswith("SELECT") for s in statements) == 1, statements
