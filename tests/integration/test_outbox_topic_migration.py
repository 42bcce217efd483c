"""Migration 0010 gives the consent rows planned before it their topic, so a re-plan finds them."""

from __future__ import annotations

from sqlalchemy import text

from bot.migrate import upgrade_database
from models.db import create_engine

ROWS = {
    "remind:1:consent/7/2026:consent_due:20261020T0500": "consent/7/2026",
    "remind:1:consent/s3/2026/20261023:consent_due:20261020T0500": "consent/s3/2026",
}


async def test_existing_consent_rows_get_their_topic(database_url: str) -> None:
    await upgrade_database(database_url, "0009_codes_appeals")
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO user_account (id, tg_id, full_name, locale, kind, created_at)"
                    " VALUES (1, 501, 'Мама', 'ru', 'parent', '2026-09-01 00:00:00')"
                )
            )
            other = "remind:1:event:5:reminder:20261020T0500"
            for key, step in [*((k, "consent_due") for k in ROWS), (other, "reminder")]:
                await conn.execute(
                    text(
                        "INSERT INTO outbox (key, user_id, kind, step, audience, due_at, status,"
                        " attempts, next_attempt_at, created_at) VALUES (:key, 1, 'reminder',"
                        " :step, 'parent', '2026-10-20 05:00:00', 'pending', 0,"
                        " '2026-10-20 05:00:00', '2026-09-01 00:00:00')"
                    ),
                    {"key": key, "step": step},
                )
        await engine.dispose()
        await upgrade_database(database_url)
        engine = create_engine(database_url)
        async with engine.connect() as conn:
            found = dict((await conn.execute(text("SELECT key, topic FROM outbox"))).all())
    finally:
        await engine.dispose()
    assert found == {**ROWS, other: None}
