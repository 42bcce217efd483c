"""SQL that differs between SQLite and PostgreSQL, written once."""

from __future__ import annotations

from sqlalchemy import Insert, Table
from sqlalchemy.ext.asyncio import AsyncSession


def insert_ignore(session: AsyncSession, table: Table, column: str) -> Insert:
    """`INSERT … ON CONFLICT (column) DO NOTHING` in the dialect of the session's database."""
    # Each dialect's module comes with its engine; importing both here would load PostgreSQL's
    # (with all its drivers, 2 MB) into a process that runs on SQLite.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[column])
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table).on_conflict_do_nothing(index_elements=[column])
