"""Reading an enum value that a button carried: a forged or outdated one is refused."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from services.errors import Refused

E = TypeVar("E", bound=StrEnum)


def choice(kind: type[E], value: str) -> E:
    """A value a button carries, as its enum; a forged or outdated one is refused."""
    try:
        return kind(value)
    except ValueError:
        raise Refused("stale_choice") from None
