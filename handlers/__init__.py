"""Routers, in the order the dispatcher tries them (the fallback must stay last)."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import common, errors, fallback, help, settings, start

    routers = [
        errors.router,
        common.router,
        start.router,
        help.router,
        settings.router,
        fallback.router,
    ]
    # Routers are module singletons; tests and the console build more than one dispatcher per
    # process, and aiogram refuses to attach a router that still points at an old parent.
    for router in routers:
        router._parent_router = None
    return routers
