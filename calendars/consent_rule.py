"""When a parent's consent to a student's participation is due: a rule of the olympiad calendar.

The participation procedure asks a parent (legal representative) to confirm in writing a few
working days before the student's first event of a track (the school stage) in the school year.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

CONSENT_DUE = "consent_due"


class ConsentRule(BaseModel):
    """`offset_working_days` before the student's first event of `track` in the school year, by
    `time` (None: by the end of that day), read in the school's zone."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    track: str = "school"
    offset_working_days: int = Field(default=-3, ge=-60, le=0)
    time: dt.time | None = None
