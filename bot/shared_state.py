"""What replicas share through Redis when `REDIS_URL` is set, and the embedded defaults otherwise:
FSM state (aiogram's RedisStorage, or our SQL storage), the flood window, the people cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.fsm_storage import SqlStorage
from bot.middlewares.throttle import FloodWindow, LocalWindow, RedisWindow
from bot.people_cache import PeopleCache
from bot.settings import Settings
from calendars.clock import Clock

if TYPE_CHECKING:
    from redis.asyncio import Redis


def connect_redis(settings: Settings) -> Redis | None:
    if settings.redis_url is None:
        return None
    # Imported only when configured: the embedded deployment never loads the client.
    from redis.asyncio import Redis

    return Redis.from_url(settings.redis_url, health_check_interval=30)


def fsm_storage(
    settings: Settings,
    redis: Redis | None,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
) -> BaseStorage:
    if redis is None:
        return SqlStorage(sessionmaker, clock)
    from aiogram.fsm.storage.redis import RedisStorage

    keys = DefaultKeyBuilder(prefix=f"{settings.redis_prefix}:fsm", with_destiny=True)
    return RedisStorage(redis, key_builder=keys)


def flood_window(settings: Settings, redis: Redis | None) -> FloodWindow:
    return LocalWindow() if redis is None else RedisWindow(redis, settings.redis_prefix)


def people_cache(
    settings: Settings, redis: Redis | None, sessionmaker: async_sessionmaker[AsyncSession]
) -> PeopleCache | None:
    """The cache, its invalidation attached to every session the app opens; None without Redis."""
    if redis is None or not settings.people_cache_seconds:
        return None
    cache = PeopleCache(redis, settings.redis_prefix, settings.people_cache_seconds)
    cache.attach(sessionmaker)
    return cache


def state_key(dp: Dispatcher) -> Callable[[dict[str, Any]], str | None] | None:
    """The database key of the update's FSM state, when the state lives in the database."""
    storage = dp.fsm.storage
    if not isinstance(storage, SqlStorage):
        return None

    def key(data: dict[str, Any]) -> str | None:
        context = dp.fsm.resolve_event_context(data["bot"], data)
        return storage.key_of(context.key) if context is not None else None

    return key
