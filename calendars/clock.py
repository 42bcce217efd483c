"""The current instant, passed in so that rules and tests never read the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and the console's time travel."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class TravelClock:
    """Real time shifted by an offset: after a jump, time keeps flowing from the new instant.

    The console's `:clock` and the CLOCK_START rehearsal setting move it; everything that asks
    for "now" (handlers, services, the reminder worker) reads this one clock."""

    def __init__(self, real: Clock | None = None, *, start: datetime | None = None) -> None:
        self._real = real or SystemClock()
        self._offset = timedelta(0)
        if start is not None:
            self.travel_to(start)

    def now(self) -> datetime:
        return self._real.now() + self._offset

    @property
    def travelling(self) -> bool:
        return self._offset != timedelta(0)

    def travel_to(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("TravelClock needs an aware datetime")
        self._offset = at.astimezone(UTC) - self._real.now()

    def travel_by(self, delta: timedelta) -> None:
        self._offset += delta

    def back_to_real_time(self) -> None:
        self._offset = timedelta(0)
