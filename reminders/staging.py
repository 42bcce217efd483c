"""Temporary tables of a set-based event plan (see `reminders.expansion`), one set per
database connection: created on first use, emptied before each plan, never committed data."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.schema import CreateIndex, CreateTable

from models.base import UtcDateTime

_TEMP = MetaData()  # not the models' metadata: migrations and create_all never see these
# The event's recipients, one row per audience query and person, with their profile.
PERSON = Table(
    "plan_person",
    _TEMP,
    Column("part", Integer),  # which of the event's audience queries found them
    Column("user_id", Integer),
    Column("profile", String),
    Column("own_zone", String(64)),
    Column("school_zone", String(64)),
    Column("grade", Integer),
    Column("offsets", String),
    Column("quiet_start", Integer),
    Column("quiet_end", Integer),
    Column("digest_at", Integer),
    prefixes=["TEMPORARY"],
)
# The slots of every profile (a few dozen rows).
SLOT = Table(
    "plan_slot",
    _TEMP,
    Column("part", Integer),
    Column("profile", String),
    Column("audience", String(16)),
    Column("head", String(32)),  # the key before the user id: "reminder:"
    Column("tail", String),  # the key after it: ":<event id>:<step>:<instant>"
    Column("kind", String(16)),
    Column("step", String(64)),
    Column("due_at", UtcDateTime()),
    Column("step_at", UtcDateTime()),
    Column("step_zone", String(64)),
    Column("expires_at", UtcDateTime()),
    Index("plan_slot_profile", "part", "profile"),
    prefixes=["TEMPORARY"],
)
# Every row the event should have, when some are in the outbox already (a re-plan).
WANTED = Table(
    "plan_row",
    _TEMP,
    Column("key", String(200), primary_key=True),
    Column("user_id", Integer),
    Column("kind", String(16)),
    Column("step", String(64)),
    Column("audience", String(16)),
    Column("due_at", UtcDateTime()),
    Column("step_at", UtcDateTime()),
    Column("step_zone", String(64)),
    Column("expires_at", UtcDateTime()),
    prefixes=["TEMPORARY"],
)
WANTED_COLUMNS = tuple(column.name for column in WANTED.columns)


async def fresh_temp(connection: AsyncConnection, table: Table) -> None:
    """The temporary table of this connection, created on first use, and emptied."""
    await connection.execute(CreateTable(table, if_not_exists=True))
    for index in table.indexes:
        await connection.execute(CreateIndex(index, if_not_exists=True))
    # PostgreSQL does not vacuum temporary tables: TRUNCATE leaves no dead rows behind.
    verb = "TRUNCATE" if connection.dialect.name == "postgresql" else "DELETE FROM"
    await connection.exec_driver_sql(f"{verb} {table.name}")
