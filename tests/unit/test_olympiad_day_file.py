"""`olympiad_day.yaml`: the shipped file loads, a broken one is refused with its problem named,
and a reference folder without it keeps the built-in defaults."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from calendars.errors import ReferenceDataError
from models.enums import Level
from services.reference.day_schema import DAY_FILE
from services.reference.loader import load_reference
from services.rules.olympiad_day import AppealRule

SHIPPED = Path(__file__).parents[2] / "data" / "reference"


def test_the_shipped_file_sets_eight_oclock_and_a_window_per_level() -> None:
    day = load_reference(SHIPPED).day
    assert day.release_time == dt.time(8, 0)
    assert day.appeal_rule(Level.SCHOOL) == AppealRule(hours=72)
    assert day.appeal_rule(Level.REGIONAL) == AppealRule(days=3, time=dt.time(18, 0))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("appeals: {school: {hours: 0}}", "hours"),
        ("appeals: {school: {hours: 5, days: 1, time: '18:00'}}", "either"),
        ("appeals: {school: {hours: 5}, municipal: {hours: 5}}", "regional"),
        ("release_time: '25:00'", "release_time"),
    ],
)
def test_a_broken_file_is_refused_naming_the_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(SHIPPED, folder)
    (folder / DAY_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError) as refused:
        load_reference(folder)
    assert any(DAY_FILE in line and problem in line for line in refused.value.problems)


def test_without_the_file_the_defaults_hold(tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(SHIPPED, folder)
    (folder / DAY_FILE).unlink()
    day = load_reference(folder).day
    assert day.release_time == dt.time(8, 0)
    assert all(day.appeal_rule(level) == AppealRule(hours=72) for level in Level)
