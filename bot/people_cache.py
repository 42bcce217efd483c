"""A short-lived cache of the person behind an update and their role grants, in Redis.

Keys (under `<prefix>:people:`): `tg:<tg_id>` → person id; `v:<id>` the person's version,
bumped after every commit that changed the person or their grants (bot/people_changes.py sees
every such write); `epoch`, bumped when a change could not be pinned to people; `e:<tg_id>` the
cached entry, valid only while its version and epoch are current. An entry is written only with
the version read *before* the database was asked (compare-and-set in Redis), so a change that
commits meanwhile can never be hidden behind a stale entry.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import make_transient_to_detached

from bot.people_changes import Changes, tracking_session_class
from models.people import RoleGrant, User
from services.people.identity import Identity, identify, welcome_back

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)
T = TypeVar("T")
MAPPING_SECONDS = 30 * 24 * 3600
READ = """
local uid = redis.call('GET', KEYS[2])
local epoch = redis.call('GET', KEYS[1]) or '0'
if not uid then return {epoch, '', '0', ''} end
local v = redis.call('GET', ARGV[1] .. 'v:' .. uid) or '0'
return {epoch, uid, v, redis.call('GET', KEYS[3]) or ''}
"""
FILL = """
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
return 1
"""


class PeopleCache:
    def __init__(self, redis: Redis, prefix: str, ttl_seconds: int) -> None:
        self._redis = redis
        self._ns = f"{prefix}:people:"
        self._ttl_ms = ttl_seconds * 1000
        self._read = redis.register_script(READ)
        self._fill = redis.register_script(FILL)
        self._pending: set[asyncio.Task[None]] = set()

    def attach(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        """Every session of `sessionmaker` reports the people its commits changed."""
        sessionmaker.configure(sync_session_class=tracking_session_class(self._changed))

    def _changed(self, changes: Changes) -> None:
        task = asyncio.get_running_loop().create_task(self.invalidate(changes))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def settle(self) -> None:
        """Waits for the invalidations of the commits made so far."""
        while self._pending:
            await asyncio.gather(*self._pending)

    async def invalidate(self, changes: Changes) -> None:
        try:
            await self._bump(changes)
        except Exception:
            # Entries of these people may stay stale for at most the cache's time to live.
            log.exception("could not invalidate the people cache")

    async def _bump(self, changes: Changes) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for person_id in sorted(changes.ids):
                pipe.incr(f"{self._ns}v:{person_id}")
            if changes.everyone:
                pipe.incr(f"{self._ns}epoch")
            await pipe.execute()

    async def identify(
        self,
        session: AsyncSession,
        tg_id: int,
        name: str,
        admin_ids: frozenset[int],
        now: dt.datetime,
    ) -> Identity:
        keys = [f"{self._ns}epoch", f"{self._ns}tg:{tg_id}", f"{self._ns}e:{tg_id}"]
        try:
            found = await self._read(keys, [self._ns])
        except Exception:  # Redis is down: the database answers alone
            log.warning("people cache unavailable; reading the database", exc_info=True)
            return await identify(session, tg_id, name, admin_ids, now)
        epoch, uid, version, raw = (_text(v) for v in found)
        if raw:
            entry = json.loads(raw)
            if entry["epoch"] == epoch and entry["v"] == version and str(entry["uid"]) == uid:
                return _restore(session, entry, tg_id in admin_ids)
        ident = await identify(session, tg_id, name, admin_ids, now)
        try:
            await self._remember(tg_id, ident, epoch, uid, version)
        except Exception:
            log.warning("could not fill the people cache", exc_info=True)
        return ident

    async def _remember(
        self, tg_id: int, ident: Identity, epoch: str, uid: str, version: str
    ) -> None:
        """Maps the Telegram id to the person the first time; later, caches them, unless their
        version or the epoch moved since they were read (`version` was read before)."""
        if uid != str(ident.user.id):
            await self._redis.set(f"{self._ns}tg:{tg_id}", ident.user.id, ex=MAPPING_SECONDS)
        elif self._ttl_ms:
            entry = {"epoch": epoch, "v": version, "uid": ident.user.id, **_dump(ident)}
            await self._fill(
                [f"{self._ns}epoch", f"{self._ns}v:{uid}", f"{self._ns}e:{tg_id}"],
                [epoch, version, json.dumps(entry), self._ttl_ms],
            )


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _dump(ident: Identity) -> dict[str, Any]:
    return {"user": _columns(ident.user), "grants": [_columns(g) for g in ident.grants]}


def _columns(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr in inspect(type(obj)).column_attrs:
        value = getattr(obj, attr.key)
        out[attr.key] = {"at": value.isoformat()} if isinstance(value, dt.datetime) else value
    return out


def _restore(session: AsyncSession, entry: dict[str, Any], is_admin: bool) -> Identity:
    user = _attach(session, User, entry["user"])
    welcome_back(user)
    grants = tuple(_attach(session, RoleGrant, g) for g in entry["grants"])
    return Identity(user=user, is_admin=is_admin, grants=grants)


def _attach(session: AsyncSession, model: type[T], values: dict[str, Any]) -> T:
    """The row as a persistent object of the session, as if just loaded, without a query."""
    loaded = {
        key: dt.datetime.fromisoformat(v["at"]) if isinstance(v, dict) and "at" in v else v
        for key, v in values.items()
    }
    obj = model(**loaded)
    make_transient_to_detached(obj)
    return session.sync_session.merge(obj, load=False)
