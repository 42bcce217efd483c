"""Each event's registrations, results and expected results, counted as they change.

The panel's first screen and /overview show these three numbers for every event of a region
(960 events and 240,000 registrations in the benchmark); counting them per request read the
whole registration index. The database keeps them instead, with triggers on `registration`
(every write path, bulk inserts, cascades and other replicas included): one row per event that
has had a registration, read with one join.

The triggers are the same statements for the models (`create_all`) and the migration.
"""

from __future__ import annotations

from sqlalchemy import DDL, ForeignKey, event
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class RegistrationCount(Base):
    __tablename__ = "registration_count"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("olympiad_event.id", ondelete="CASCADE"), primary_key=True
    )
    registered: Mapped[int] = mapped_column(default=0)
    results: Mapped[int] = mapped_column(default=0)  # a score entered
    expected: Mapped[int] = mapped_column(default=0)  # not absent: a result is owed


# A row's share of its event's counts, as the aggregate it replaces counted it.
_SHARE = {
    "registered": "1",
    "results": "CASE WHEN {row}.score IS NULL THEN 0 ELSE 1 END",
    "expected": "CASE WHEN {row}.state = 'absent' THEN 0 ELSE 1 END",
}


def _add(row: str) -> str:
    values = ", ".join(share.format(row=row) for share in _SHARE.values())
    sums = ", ".join(f"{name} = registration_count.{name} + excluded.{name}" for name in _SHARE)
    return (
        f"INSERT INTO registration_count (event_id, {', '.join(_SHARE)}) "
        f"VALUES ({row}.event_id, {values}) ON CONFLICT (event_id) DO UPDATE SET {sums};"
    )


def _remove(row: str) -> str:
    less = ", ".join(
        f"{name} = {name} - ({share.format(row=row)})" for name, share in _SHARE.items()
    )
    return f"UPDATE registration_count SET {less} WHERE event_id = {row}.event_id;"


# Idempotent: `metadata.create_all` runs them each time it is called on a database.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS registration_count_insert AFTER INSERT ON registration "
    f"BEGIN {_add('NEW')} END",
    "CREATE TRIGGER IF NOT EXISTS registration_count_delete AFTER DELETE ON registration "
    f"BEGIN {_remove('OLD')} END",
    "CREATE TRIGGER IF NOT EXISTS registration_count_update "
    "AFTER UPDATE OF event_id, state, score "
    f"ON registration BEGIN {_remove('OLD')} {_add('NEW')} END",
]
POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION registration_count_apply() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_remove('OLD')} END IF; "
    f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_add('NEW')} END IF; "
    "RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER registration_count_apply AFTER INSERT OR DELETE "
    "OR UPDATE OF event_id, state, score ON registration "
    "FOR EACH ROW EXECUTE FUNCTION registration_count_apply()",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS registration_count_insert",
    "DROP TRIGGER IF EXISTS registration_count_delete",
    "DROP TRIGGER IF EXISTS registration_count_update",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS registration_count_apply ON registration",
    "DROP FUNCTION IF EXISTS registration_count_apply()",
]
# The counts of the registrations already there (a migrated database).
BACKFILL = (
    f"INSERT INTO registration_count (event_id, {', '.join(_SHARE)}) "
    "SELECT event_id, "
    + ", ".join(f"SUM({share.format(row='registration')})" for share in _SHARE.values())
    + " FROM registration GROUP BY event_id"
)


def _ddl(statement: str, dialect: str) -> DDL:
    return DDL(statement).execute_if(dialect=dialect)  # type: ignore[no-untyped-call]


for _statement in SQLITE_TRIGGERS:
    event.listen(Base.metadata, "after_create", _ddl(_statement, "sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    event.listen(Base.metadata, "after_create", _ddl(_statement, "postgresql"))
