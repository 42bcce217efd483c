"""Read and validate the reference files; every problem comes back as one readable line."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from services.reference.demo_schema import DemoData, demo_problems
from services.reference.errors import ReferenceDataError
from services.reference.messages import top_level_problem, validation_problems
from services.reference.reference_data import ReferenceData
from services.reference.rules_schema import DeadlineRules
from services.reference.schema import GeographyFile, LevelsFile, RegionsFile, SubjectsFile
from services.reference.yaml_source import read_yaml_file

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
RULES_FILE = "deadline_rules.yaml"
GEOGRAPHY_FILE = "geography.yaml"


def load_yaml_file(path: Path, model: type[M]) -> M:
    """The file validated as `model`, or ReferenceDataError listing all its problems."""
    doc = read_yaml_file(path)
    problem = top_level_problem(doc, model)
    if problem:
        raise ReferenceDataError([problem])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise ReferenceDataError(validation_problems(doc, model, exc)) from None


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
    rules = attempt(RULES_FILE, DeadlineRules)
    if subjects is None or levels is None or regions is None or rules is None:
        raise ReferenceDataError(problems)
    return ReferenceData(
        subjects=subjects.subjects, levels=levels.levels, regions=regions.regions, rules=rules
    )


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
