"""The console's `:clock`: see the bot's time, jump it forward or to an instant, come back.

A jump moves the one clock the bot reads (calendars.clock.TravelClock), so handlers, services and
the reminder worker all see the new "now"; what became due is then delivered, as `:tick` does."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from calendars.clock import TravelClock

USAGE = "— use :clock, :clock +3d, :clock +2h, :clock 2026-12-10 08:00, or :clock now"
_STEP = re.compile(r"^([+-])\s*(\d{1,4})\s*([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


class ClockUsageError(ValueError):
    """The argument of :clock is neither a step, an instant nor `now`."""


def parse_step(arg: str) -> timedelta | None:
    match = _STEP.match(arg.strip().lower())
    if match is None:
        return None
    sign, amount, unit = match.groups()
    delta = timedelta(**{_UNITS[unit]: int(amount)})
    return -delta if sign == "-" else delta


def parse_instant(arg: str, zone: str) -> datetime | None:
    """An ISO instant; without an offset it is wall time in `zone` (the demo region's)."""
    text = arg.strip()
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    if at.tzinfo is None:
        if not any(_fits(text, fmt) for fmt in _FORMATS):
            return None
        at = at.replace(tzinfo=ZoneInfo(zone))
    return at


def _fits(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)  # noqa: DTZ007 - only checks the shape; the zone is added
    except ValueError:
        return False
    return True


def travel(clock: TravelClock, arg: str, zone: str) -> bool:
    """Moves the clock as `arg` says; False when `arg` asks only to see the time."""
    arg = arg.strip()
    if not arg:
        return False
    if arg.lower() == "now":
        clock.back_to_real_time()
        return True
    step = parse_step(arg)
    if step is not None:
        clock.travel_by(step)
        return True
    at = parse_instant(arg, zone)
    if at is None:
        raise ClockUsageError(USAGE)
    clock.travel_to(at)
    return True


def describe(clock: TravelClock, zone: str) -> str:
    local = clock.now().astimezone(ZoneInfo(zone))
    offset = local.utcoffset() or timedelta(0)
    hours = f"{offset.total_seconds() / 3600:+g}"
    state = "travelling" if clock.travelling else "real time"
    return f"— bot time: {local:%Y-%m-%d %H:%M} {zone} (UTC{hours}) · {state}"
