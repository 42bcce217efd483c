"""Everything the reference directory holds, validated and ready to look up."""

from __future__ import annotations

from dataclasses import dataclass, field

from calendars.schema import Calendar
from models.enums import Level
from services.reference.day_schema import OlympiadDayFile
from services.reference.schema import GradeRange, LevelRow, RegionRow, SubjectRow


@dataclass(frozen=True)
class ReferenceData:
    subjects: tuple[SubjectRow, ...]
    levels: tuple[LevelRow, ...]
    regions: tuple[RegionRow, ...]
    calendars: dict[str, Calendar]
    # The deployment's consent text by locale (Jinja source); empty: the shipped one.
    consent_templates: dict[str, str] = field(default_factory=dict)
    # Codes and appeals (olympiad_day.yaml); the built-in defaults when the file is absent.
    day: OlympiadDayFile = field(default_factory=OlympiadDayFile)

    @property
    def rules(self) -> Calendar:
        """The olympiad's calendar (the loader makes sure it is there)."""
        return self.calendars["olympiad"]

    @property
    def subject_codes(self) -> frozenset[str]:
        return frozenset(row.code for row in self.subjects)

    @property
    def region_codes(self) -> frozenset[str]:
        return frozenset(row.code for row in self.regions)

    def subject(self, code: str) -> SubjectRow:
        for row in self.subjects:
            if row.code == code:
                return row
        raise KeyError(code)

    def region(self, code: str) -> RegionRow:
        for row in self.regions:
            if row.code == code:
                return row
        raise KeyError(code)

    def level(self, level: Level) -> LevelRow:
        for row in self.levels:
            if row.code == level:
                return row
        raise KeyError(level)

    def grades_for(self, subject_code: str, level: Level) -> GradeRange:
        """The grades a subject admits at a level: its own override, else the level's default."""
        override = self.subject(subject_code).grades.get(level)
        return override if override is not None else self.level(level).grades
