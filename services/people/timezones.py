"""Time zones people can pick, and the zone a person's times are shown in."""

from __future__ import annotations

from models.people import User
from services.errors import Refused

# Russia's zones west to east; one city each so that people recognise their own.
RUSSIAN_ZONES: tuple[str, ...] = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Tomsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Sakhalin",
    "Asia/Magadan",
    "Asia/Kamchatka",
)


def set_timezone(user: User, index: int | None) -> None:
    """`None` returns the person to their school's zone."""
    if index is None:
        user.timezone = None
        return
    if not 0 <= index < len(RUSSIAN_ZONES):
        raise Refused("unknown_timezone")
    user.timezone = RUSSIAN_ZONES[index]
