"""The calendar file format: dates by offset or by day of the year, zones, file/line errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from calendars.errors import ReferenceDataError
from calendars.loader import load_calendar, load_calendars
from calendars.schema import Calendar
from calendars.steps import steps_for_date

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.UTC


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Adding a calendar") :]
    found = re.search(r"```yaml\n(.*?)```", section, flags=re.S)
    assert found is not None
    return found.group(1)


def test_the_readme_example_is_a_valid_calendar(tmp_path: Path) -> None:
    (tmp_path / "switch.yaml").write_text(readme_example(), encoding="utf-8")
    calendar = load_calendars(tmp_path)["school_year_switch"]
    steps = steps_for_date("odo", dt.date(2026, 10, 1), calendar, "Asia/Tomsk")
    # 25 August and 5 September of the school year 2026/27, by the end of the day in Tomsk.
    assert [s.due_at for s in steps][:2] == [
        dt.datetime(2026, 8, 25, 17, 0, tzinfo=UTC),
        dt.datetime(2026, 9, 5, 17, 0, tzinfo=UTC),
    ]
    assert steps[2].due_at == dt.datetime(2026, 9, 20, 3, 0, tzinfo=UTC)  # 10:00 Tomsk


def test_moscow_and_named_zones_read_the_time_there() -> None:
    calendar = Calendar.model_validate(
        yaml.safe_load("""
code: vpr
tracks:
  w:
    steps:
      - {code: key, kind: deadline, offset_days: 0, time: "07:30", responsible: curator,
         audience: [curator]}
      - {code: upload, kind: deadline, offset_days: 0, time: "23:00", zone: moscow,
         responsible: curator, audience: [curator]}
      - {code: other, kind: deadline, offset_days: 0, time: "12:00", zone: Asia/Tomsk,
         responsible: curator, audience: [curator]}
""")
    )
    steps = {
        s.code: s for s in steps_for_date("w", dt.date(2027, 4, 15), calendar, "Asia/Sakhalin")
    }
    assert steps["key"].due_at == dt.datetime(2027, 4, 14, 20, 30, tzinfo=UTC)  # 07:30 local
    assert steps["upload"].due_at == dt.datetime(2027, 4, 15, 20, 0, tzinfo=UTC)  # 23:00 MSK
    assert steps["upload"].moscow and not steps["key"].moscow
    assert steps["other"].due_at == dt.datetime(2027, 4, 15, 5, 0, tzinfo=UTC)


def test_a_step_needs_exactly_one_date(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "code: bad\ntracks:\n  t:\n    steps:\n"
        '      - {code: both, kind: deadline, offset_days: 1, on: "09-01",\n'
        "         responsible: curator, audience: [curator]}\n"
        "      - {code: zone, kind: deadline, offset_days: 1, zone: Mars/Phobos,\n"
        "         responsible: curator, audience: [curator]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError) as caught:
        load_calendar(tmp_path / "bad.yaml")
    problems = list(caught.value.problems)
    assert problems[0].startswith("bad.yaml, line 5: tracks.t.steps row 1")
    assert "exactly one of offset_days, offset_working_days and on" in problems[0]
    assert any(p.startswith("bad.yaml, line 7") and "Mars/Phobos" in p for p in problems)


def test_a_missing_track_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(
        "code: one\ntracks:\n  school:\n    steps:\n"
        "      - {code: registration_closes, kind: deadline, offset_days: -5,\n"
        "         responsible: curator, audience: [curator]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError) as caught:
        load_calendar(tmp_path / "one.yaml", ["school", "regional"], "registration_closes")
    assert list(caught.value.problems) == ["one.yaml, line 2: tracks missing: regional"]


def test_steps_count_from_the_anchor_they_name() -> None:
    calendar = Calendar.model_validate(
        yaml.safe_load("""
code: two
tracks:
  work:
    anchors: [W, U]
    steps:
      - {code: key, kind: deadline, offset_days: 0, time: "07:30", responsible: school,
         audience: [school]}
      - {code: upload, kind: deadline, anchor: U, offset_days: 0, time: "23:00", zone: moscow,
         responsible: school, audience: [school, municipal_office]}
""")
    )
    anchors = {"W": dt.date(2027, 4, 15), "U": dt.date(2027, 4, 19)}
    steps = {s.code: s for s in steps_for_date("work", anchors, calendar, "Asia/Tomsk")}
    assert steps["key"].due_at == dt.datetime(2027, 4, 15, 0, 30, tzinfo=UTC)  # 07:30 Tomsk
    # 23:00 Moscow on U is 03:00 the next day in Tomsk.
    assert steps["upload"].due_at == dt.datetime(2027, 4, 19, 20, 0, tzinfo=UTC)


def test_a_step_cannot_count_from_an_anchor_the_track_lacks() -> None:
    with pytest.raises(ValueError, match="anchors the track does not name"):
        Calendar.model_validate(
            yaml.safe_load("""
code: bad
tracks:
  work:
    steps:
      - {code: upload, kind: deadline, anchor: U, offset_days: 0, responsible: school,
         audience: [school]}
""")
        )
