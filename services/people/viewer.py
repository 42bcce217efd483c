"""Who is looking, in which language, on which clock: built once per update, read by every screen.

The zone comes from `models.zones.zones_of`, the same rule reminders, exports and the `.ics`
file are written in, so a screen and a reminder never show one deadline at two times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models.people import User
from models.zones import zones_of
from services.people.identity import Identity


@dataclass(frozen=True)
class Policy:
    """What the deployment decided that screens need: who the admins are, how long things last."""

    admin_ids: frozenset[int]
    invitation_ttl_hours: int
    default_zone: str
    default_locale: str
    panel_url: str | None = None  # WEBAPP_URL: the Mini App, when the deployment serves it


@dataclass(frozen=True)
class Viewer:
    ident: Identity
    locale: str
    zone: str
    now: dt.datetime  # aware UTC, read once per update
    default_zone: str  # the deployment's, where nothing about the person names a zone

    @property
    def user(self) -> User:
        return self.ident.user

    @property
    def local_now(self) -> dt.datetime:
        return self.now.astimezone(ZoneInfo(self.zone))

    @property
    def today(self) -> dt.date:
        return self.local_now.date()


async def zone_of(session: AsyncSession, user: User, default_zone: str) -> str:
    """The zone `user` reads times in (for screens about another person, e.g. a child)."""
    found = await zones_of(session, [user.id], default_zone)
    return found.get(user.id) or user.timezone or default_zone


async def build_viewer(
    session: AsyncSession, ident: Identity, locale: str, now: dt.datetime, default_zone: str
) -> Viewer:
    # The person's own choice or their place's zone came with them (the rule in models/zones.py
    # puts these first); only a person without either needs the rest of the rule.
    zone = (
        ident.user.timezone or ident.place_zone or await zone_of(session, ident.user, default_zone)
    )
    return Viewer(ident, locale, zone, now, default_zone)


async def refreshed(session: AsyncSession, viewer: Viewer) -> Viewer:
    """The viewer after the person changed their zone or school within this update."""
    await session.flush()
    ident = replace(viewer.ident, place_zone=None)  # read before the change
    return await build_viewer(session, ident, viewer.locale, viewer.now, viewer.default_zone)
