"""The shape of `olympiad_day.yaml`: when codes are released, the appeal window per level."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from calendars.fields import Row
from models.enums import Level
from services.rules.olympiad_day import AppealRule

DAY_FILE = "olympiad_day.yaml"


class AppealRow(Row):
    hours: int | None = Field(default=None, ge=1, le=24 * 30)
    days: int | None = Field(default=None, ge=0, le=30)
    time: dt.time | None = None

    @model_validator(mode="after")
    def _one_way(self) -> AppealRow:
        by_hours = self.hours is not None
        by_day = self.days is not None and self.time is not None
        if by_hours == by_day or (not by_day and (self.days, self.time) != (None, None)):
            raise ValueError("give either `hours`, or `days` and `time`")
        return self

    @property
    def rule(self) -> AppealRule:
        return AppealRule(hours=self.hours, days=self.days, time=self.time)


class OlympiadDayFile(Row):
    version: int = Field(default=1, ge=1, le=1)
    release_time: dt.time = dt.time(8, 0)
    appeals: dict[Level, AppealRow] = Field(
        default_factory=lambda: {level: AppealRow(hours=72) for level in Level}
    )

    @model_validator(mode="after")
    def _every_level(self) -> OlympiadDayFile:
        missing = [str(level) for level in Level if level not in self.appeals]
        if missing:
            raise ValueError(f"appeals: no window for {', '.join(missing)}")
        return self

    def appeal_rule(self, level: Level) -> AppealRule:
        return self.appeals[level].rule
