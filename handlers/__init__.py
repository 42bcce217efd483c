"""Routers, in the order the dispatcher tries them (the fallback must stay last)."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        admission,
        appeals,
        audit,
        calendar_offices,
        calendar_plan,
        calendar_steps,
        catalog,
        catalog_card,
        codes,
        collections,
        collections_open,
        common,
        completeness,
        consent,
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
        reminder_quiet,
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
        consent.router,
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
        reminder_quiet.router,
        calendar_steps.router,
        calendar_offices.router,
        calendar_plan.router,
        results.router,
        codes.router,
        appeals.router,
        admission.router,
        exports.router,
        collections.router,
        collections_open.router,
        completeness.router,
        fallback.router,
    ]
    # The modules' routers are singletons, and a router attaches to one parent only; the
    # console and the tests build more than one dispatcher per process, so every dispatcher
    # after the first gets copies (the first takes the originals: a running bot has one, and
    # 30 copies of every observer would stay in its memory for nothing).
    return [router if router.parent_router is None else fresh_copy(router) for router in routers]


def fresh_copy(router: Router) -> Router:
    """A new router with the same handlers (no module registers router-level filters)."""
    copy = Router(name=router.name)
    for name, observer in router.observers.items():
        copy.observers[name].handlers.extend(observer.handlers)
    return copy
