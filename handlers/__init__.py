"""Routers, in the order the dispatcher tries them (the fallback must stay last)."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        admission,
        audit,
        catalog,
        catalog_card,
        common,
        curator,
        curator_claim,
        curator_register,
        curator_upload,
        errors,
        event_edit,
        exports,
        fallback,
        help,
        invitations,
        menu,
        my_status,
        overview,
        parents,
        parents_create,
        parents_link,
        personal_data,
        reminder_settings,
        reminders,
        results,
        settings,
        staff,
        stage,
        start,
        status,
    )

    routers = [
        errors.router,
        common.router,
        # Deep links (`/start claim_…`) before the plain /start.
        curator_claim.router,
        invitations.router,
        start.router,
        help.router,
        settings.router,
        menu.router,
        catalog.router,
        catalog_card.router,
        my_status.router,
        parents.router,
        parents_link.router,
        parents_create.router,
        personal_data.router,
        curator.router,
        curator_register.router,
        curator_upload.router,
        stage.router,
        status.router,
        event_edit.router,
        overview.router,
        staff.router,
        audit.router,
        reminders.router,
        reminder_settings.router,
        results.router,
        admission.router,
        exports.router,
        fallback.router,
    ]
    # Routers are module singletons; tests and the console build more than one dispatcher per
    # process, and aiogram refuses to attach a router that still points at an old parent.
    for router in routers:
        router._parent_router = None
    return routers
