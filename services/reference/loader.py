"""Read and validate the reference files; every problem comes back as one readable line."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from jinja2 import TemplateSyntaxError
from pydantic import BaseModel

from calendars.errors import ReferenceDataError
from calendars.loader import load_calendar, load_calendars, load_yaml_file
from calendars.schema import REGISTRATION_CLOSES, Calendar
from calendars.workdays import ProductionCalendar, load_production_calendar
from models.enums import Level
from services.reference.day_schema import DAY_FILE, OlympiadDayFile
from services.reference.demo_schema import DemoData, demo_problems
from services.reference.reference_data import ReferenceData
from services.reference.schema import GeographyFile, LevelsFile, RegionsFile, SubjectsFile
from ui.templating import environment

__all__ = [
    "DemoData",
    "ReferenceData",
    "ReferenceDataError",
    "load_demo",
    "load_demo_file",
    "load_geography",
    "load_reference",
    "load_yaml_file",
]

M = TypeVar("M", bound=BaseModel)

SUBJECTS_FILE = "subjects.yaml"
LEVELS_FILE = "levels.yaml"
REGIONS_FILE = "regions.yaml"
CALENDARS_DIR = "calendars"
OLYMPIAD = "olympiad"
RULES_FILE = f"{CALENDARS_DIR}/{OLYMPIAD}.yaml"
GEOGRAPHY_FILE = "geography.yaml"
PRODUCTION_CALENDAR_FILE = "production_calendar.yaml"
CONSENT_DIR = "consent"


def load_olympiad_calendar(path: Path) -> Calendar:
    """The olympiad's calendar: a track for every stage level, each closing registration."""
    return load_calendar(path, [level.value for level in Level], REGISTRATION_CLOSES)


def load_reference(directory: Path) -> ReferenceData:
    """All reference files of a directory; the error lists the problems of every file at once."""
    if not directory.is_dir():
        raise ReferenceDataError([f"{directory}: folder not found"])
    problems: list[str] = []

    def attempt(name: str, model: type[M]) -> M | None:
        try:
            return load_yaml_file(directory / name, model)
        except ReferenceDataError as exc:
            problems.extend(exc.problems)
            return None

    subjects = attempt(SUBJECTS_FILE, SubjectsFile)
    levels = attempt(LEVELS_FILE, LevelsFile)
    regions = attempt(REGIONS_FILE, RegionsFile)
    day = attempt(DAY_FILE, OlympiadDayFile) if (directory / DAY_FILE).exists() else None
    calendars: dict[str, Calendar] = {}
    try:
        calendars = load_calendars(directory / CALENDARS_DIR)
        workdays = ProductionCalendar.statutory()
        if (directory / PRODUCTION_CALENDAR_FILE).exists():
            workdays = load_production_calendar(directory / PRODUCTION_CALENDAR_FILE)
        olympiad = load_olympiad_calendar(directory / RULES_FILE)
        calendars[OLYMPIAD] = olympiad.with_workdays(workdays)
    except ReferenceDataError as exc:
        problems.extend(exc.problems)
    consent = consent_templates(directory / CONSENT_DIR, problems)
    if subjects is None or levels is None or regions is None or OLYMPIAD not in calendars:
        raise ReferenceDataError(problems)
    if problems:
        raise ReferenceDataError(problems)
    return ReferenceData(
        subjects=subjects.subjects,
        levels=levels.levels,
        regions=regions.regions,
        calendars=calendars,
        consent_templates=consent,
        day=day or OlympiadDayFile(),
    )


def consent_templates(directory: Path, problems: list[str]) -> dict[str, str]:
    """A deployment's own consent texts (`consent/ru.html`, `consent/en.html`), checked."""
    found: dict[str, str] = {}
    for locale in ("ru", "en"):
        path = directory / f"{locale}.html"
        if not path.is_file():
            continue
        name = f"{CONSENT_DIR}/{path.name}"
        try:
            source = path.read_text(encoding="utf-8")
            environment().parse(source)
        except UnicodeDecodeError:
            problems.append(f"{name}: not UTF-8 text; save the file as UTF-8")
        except TemplateSyntaxError as exc:
            problems.append(f"{name}, line {exc.lineno}: {exc.message}")
        else:
            found[locale] = source
    return found


def load_demo(path: Path, ref: ReferenceData | None = None) -> DemoData:
    """The demo file; given the reference data, its subjects and region are checked too."""
    demo = load_yaml_file(path, DemoData)
    problems = demo_problems(demo, ref, path.name) if ref is not None else []
    if problems:
        raise ReferenceDataError(problems)
    return demo


# The name to import beside services.reference.demo.load_demo, which writes the demo.
load_demo_file = load_demo


def load_geography(path: Path) -> GeographyFile:
    return load_yaml_file(path, GeographyFile)
