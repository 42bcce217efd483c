"""aiogram FSM storage on our database.

Inside an update it writes through the update's own session (so a flow's state commits or rolls
back with the rest of the update, and SQLite never sees two writers from one update).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.update_unit import current_session, current_unit
from calendars.clock import Clock
from models.fsm import FsmRecord


class SqlStorage(BaseStorage):
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._keys = DefaultKeyBuilder(with_destiny=True)

    def key_of(self, key: StorageKey) -> str:
        return self._keys.build(key)

    async def _write(self, key: StorageKey, **values: Any) -> None:
        session = current_session()
        if session is not None:
            await self._upsert(session, key, values)
            return
        async with self._sessionmaker() as own, own.begin():
            await self._upsert(own, key, values)

    async def _upsert(
        self, session: AsyncSession, key: StorageKey, values: dict[str, Any]
    ) -> None:
        name = self._keys.build(key)
        ahead = _read_ahead(name)
        record = await session.get(FsmRecord, name) if ahead is _UNKNOWN else ahead
        if not isinstance(record, FsmRecord):
            record = FsmRecord(key=name, state=None, data={})
            session.add(record)
            unit = current_unit.get()
            if unit is not None and name in unit.states:
                unit.states[name] = record
        for column, value in values.items():
            setattr(record, column, value)
        record.updated_at = self._clock.now()

    async def _read(self, key: StorageKey) -> FsmRecord | None:
        session = current_session()
        if session is not None:
            name = self._keys.build(key)
            ahead = _read_ahead(name)
            if ahead is not _UNKNOWN:
                return ahead if isinstance(ahead, FsmRecord) else None
            return await session.get(FsmRecord, name)
        async with self._sessionmaker() as own:
            return await own.get(FsmRecord, self._keys.build(key))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        record = await self._read(key)
        return record.state if record else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        record = await self._read(key)
        return dict(record.data) if record and record.data else {}

    async def close(self) -> None:
        return None


_UNKNOWN = object()


def _read_ahead(name: str) -> object:
    """The record the update read ahead under `name` (None: none exists), or `_UNKNOWN`."""
    unit = current_unit.get()
    if unit is None or unit.closed:
        return _UNKNOWN
    return unit.states.get(name, _UNKNOWN)
