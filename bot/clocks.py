"""The bot's clock for a deployment: real time, or a rehearsal clock (CLOCK_START)."""

from __future__ import annotations

import logging

from bot.settings import Settings
from calendars.clock import TravelClock

log = logging.getLogger(__name__)


def clock_for(settings: Settings) -> TravelClock:
    """Real time, or with CLOCK_START a rehearsal clock that runs on from that instant."""
    clock = TravelClock()
    if settings.clock_start is not None:
        clock.travel_to(settings.clock_start)
        log.warning(
            "REHEARSAL CLOCK: CLOCK_START=%s, the bot's time is not real time; "
            "reminders and deadlines follow this clock. Unset CLOCK_START for real use.",
            settings.clock_start.isoformat(),
        )
    return clock
