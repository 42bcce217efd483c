"""Every commit that writes a person or their grants reports which people changed, whatever
way it wrote them: ORM objects, bulk statements, raw SQL; a rollback reports nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, text, update

from bot.people_changes import Changes, tracking_session_class
from models.db import create_engine, create_sessionmaker
from models.enums import Role
from models.geo import School
from models.people import RoleGrant, User

NOW = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


async def test_each_way_of_writing_people_is_reported(schema_url: str) -> None:
    engine = create_engine(schema_url)
    reported: list[Changes] = []
    maker = create_sessionmaker(engine)
    maker.configure(sync_session_class=tracking_session_class(reported.append))
    try:
        async with maker() as session, session.begin():
            anna = User(tg_id=1, full_name="Аня", created_at=NOW)
            boris = User(tg_id=2, full_name="Борис", created_at=NOW)
            session.add_all([anna, boris])
        assert reported.pop().ids == {anna.id, boris.id}

        async with maker() as session, session.begin():
            session.add(RoleGrant(user_id=boris.id, role=Role.ADMIN, created_at=NOW))
        assert reported.pop().ids == {boris.id}

        async with maker() as session, session.begin():
            await session.execute(update(User).where(User.id == anna.id).values(grade=7))
        assert reported.pop() == Changes(ids={anna.id})

        async with maker() as session, session.begin():
            await session.execute(
                update(User).where(User.id.in_([anna.id, boris.id])).values(grade=8)
            )
        assert reported.pop() == Changes(ids={anna.id, boris.id})

        async with maker() as session, session.begin():
            await session.execute(update(RoleGrant).values(revoked_at=NOW))
        assert reported.pop().everyone

        async with maker() as session, session.begin():
            await session.execute(text("UPDATE user_account SET grade = 9"))
        assert reported.pop().everyone

        async with maker() as session, session.begin():
            await session.execute(delete(School).where(School.id == -1))
        assert reported.pop().everyone

        async with maker() as session, session.begin():
            await session.execute(update(User).where(User.id == anna.id).values(grade=5))
            await session.rollback()
        async with maker() as session, session.begin():
            await session.execute(text("SELECT 1"))
        assert reported == []
    finally:
        await engine.dispose()
