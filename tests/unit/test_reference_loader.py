"""Reference files: the shipped data loads, and bad data is reported by file, row and problem."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from calendars.errors import ReferenceDataError
from calendars.schema import Calendar, MonthDay
from calendars.school_year import school_year_label, school_year_of
from models.enums import EventStatus, Level
from services.reference.demo_schema import DemoData
from services.reference.loader import (
    load_demo,
    load_geography,
    load_olympiad_calendar,
    load_reference,
    load_yaml_file,
)
from services.reference.reference_data import ReferenceData
from services.reference.schema import GeographyFile, RegionsFile, SubjectsFile

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "data" / "reference"
DEMO = ROOT / "data" / "demo" / "demo.yaml"
BAD = ROOT / "tests" / "data" / "reference_bad"


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return load_reference(REFERENCE)


def problems_of(name: str, model: type[BaseModel]) -> list[str]:
    with pytest.raises(ReferenceDataError) as caught:
        load_yaml_file(BAD / name, model)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return list(caught.value.problems)


def test_shipped_reference_loads(ref: ReferenceData) -> None:
    assert len(ref.subjects) == 24
    assert {"math", "russian", "english", "informatics", "obzr", "art"} <= ref.subject_codes
    assert [lv.code for lv in ref.levels] == [Level.SCHOOL, Level.MUNICIPAL, Level.REGIONAL]
    assert set(ref.rules.tracks) == set(Level)


ZONES = {"65": "Asia/Sakhalin", "70": "Asia/Tomsk", "77": "Europe/Moscow", "41": "Asia/Kamchatka"}
ZONES |= {"39": "Europe/Kaliningrad", "63": "Europe/Samara", "66": "Asia/Yekaterinburg"}
ZONES |= {"54": "Asia/Novosibirsk", "25": "Asia/Vladivostok", "49": "Asia/Magadan"}


@pytest.mark.parametrize(("code", "zone"), ZONES.items())
def test_shipped_regions_keep_their_zones(ref: ReferenceData, code: str, zone: str) -> None:
    assert ref.region(code).timezone == zone


def test_every_shipped_zone_is_real_and_russian_hours(ref: ReferenceData) -> None:
    winter = dt.datetime(2027, 1, 15, 12, tzinfo=dt.UTC)
    for region in ref.regions:
        offset = winter.astimezone(ZoneInfo(region.timezone)).utcoffset()
        assert offset is not None
        assert dt.timedelta(hours=2) <= offset <= dt.timedelta(hours=12), region.code


def test_grades_come_from_level_unless_the_subject_overrides(ref: ReferenceData) -> None:
    assert ref.grades_for("math", Level.SCHOOL).model_dump() == {"grade_min": 4, "grade_max": 11}
    assert ref.grades_for("russian", Level.SCHOOL).grade_min == 4
    assert ref.grades_for("physics", Level.SCHOOL).grade_min == 5
    assert ref.grades_for("math", Level.MUNICIPAL).grade_min == 7
    assert ref.grades_for("chemistry", Level.REGIONAL).grade_min == 9


def test_shipped_demo_loads_against_the_reference(ref: ReferenceData) -> None:
    demo = load_demo(DEMO, ref)
    assert ref.region(demo.region.code).timezone == "Asia/Sakhalin"
    assert 3 <= len(demo.municipality.schools) <= 4
    school = [e for e in demo.events if e.level == Level.SCHOOL]
    assert 6 <= len(school) <= 8
    assert any(e.held_in_days == 7 for e in school)  # registration (D - 5) closes in 2 days
    assert any(e.status == EventStatus.SUMMARIZING and e.held_in_days == -10 for e in school)
    assert any(e.grade_days for e in school)


def test_broken_yaml_names_the_line() -> None:
    [problem] = problems_of("broken_syntax.yaml", SubjectsFile)
    assert problem.startswith("broken_syntax.yaml, line 4: YAML syntax:")


def test_bad_indentation_gets_a_hint() -> None:
    [problem] = problems_of("bad_indentation.yaml", SubjectsFile)
    assert problem.startswith("bad_indentation.yaml, line 4:")
    assert problem.endswith("check the indentation")


def test_grade_min_above_grade_max() -> None:
    assert problems_of("grade_range.yaml", SubjectsFile) == [
        'grade_range.yaml, line 9: row 3 (code "math"): grades.school: '
        "grade_min must be ≤ grade_max, got 9 > 4"
    ]


def test_duplicate_code_names_both_rows() -> None:
    assert problems_of("duplicate_code.yaml", SubjectsFile) == [
        'duplicate_code.yaml, line 1: subjects: code "math" is used by rows 2 and 4'
    ]


def test_unknown_keys_are_named_with_a_suggestion() -> None:
    assert problems_of("unknown_key.yaml", SubjectsFile) == [
        'unknown_key.yaml, line 3: row 2 (code "math"): unknown key "colour" '
        "(allowed: code, name_ru, name_en, sort_order, grades)",
        'unknown_key.yaml, line 4: row 3 (code "physics"): missing key "name_ru"',
        'unknown_key.yaml, line 4: row 3 (code "physics"): unknown key "nmae_ru" '
        '(did you mean "name_ru"?)',
    ]


def test_every_problem_of_a_file_is_reported() -> None:
    problems = problems_of("many_problems.yaml", SubjectsFile)
    assert [p.split(": ")[1] for p in problems] == [
        'row 2 (code "Biology")',
        'row 3 (code "math")',
        'row 4 (code "physics")',
    ]
    assert "sort_order: Input should be a valid integer" in problems[1]
    assert "(got 'first')" in problems[1]
    assert problems[2].endswith('missing key "name_en"')


def test_bad_time_zone_suggests_the_right_one() -> None:
    [problem] = problems_of("bad_timezone.yaml", RegionsFile)
    assert problem.startswith('bad_timezone.yaml, line 3: row 2 (code "65"): timezone: ')
    assert '"Asia/Sahalin" is not an IANA time zone name' in problem
    assert problem.endswith('(did you mean "Asia/Sakhalin"?)')


def test_repeated_key_is_refused_not_overwritten() -> None:
    assert problems_of("duplicate_key.yaml", SubjectsFile) == [
        'duplicate_key.yaml, line 7: key "name_en" repeats (first on line 5)'
    ]


def test_rules_missing_a_level() -> None:
    with pytest.raises(ReferenceDataError) as caught:
        load_olympiad_calendar(BAD / "rules_missing_level.yaml")
    assert list(caught.value.problems) == [
        "rules_missing_level.yaml, line 4: tracks missing: regional"
    ]


def test_rules_bad_day_and_step_row() -> None:
    problems = problems_of("rules_bad_day.yaml", Calendar)
    assert problems[0] == (
        "rules_bad_day.yaml, line 5: tracks.school.creation.control: "
        "day is out of range for month (got '09-31')"
    )
    assert problems[1].startswith(
        'rules_bad_day.yaml, line 9: tracks.school.steps row 2 (code "stage_day"): responsible:'
    )
    assert problems[1].endswith("(got 'pupil')")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.yaml", "empty.yaml: the file is empty"),
        ("comments_only.yaml", "comments_only.yaml: the file is empty"),
        (
            "top_level_list.yaml",
            "top_level_list.yaml: expected keys at the top of the file (subjects:), found a list",
        ),
        ("not_utf8.yaml", "not_utf8.yaml, line 2: not UTF-8 text; save the file as UTF-8"),
    ],
)
def test_unusable_files(name: str, expected: str) -> None:
    assert problems_of(name, SubjectsFile) == [expected]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ReferenceDataError, match=r"^subjects\.yaml: file not found \("):
        load_yaml_file(tmp_path / "subjects.yaml", SubjectsFile)
    with pytest.raises(ReferenceDataError, match="is a folder, expected a YAML file"):
        load_yaml_file(tmp_path, SubjectsFile)
    with pytest.raises(ReferenceDataError, match="folder not found"):
        load_reference(tmp_path / "nowhere")


def test_reference_directory_reports_all_files_at_once(tmp_path: Path) -> None:
    shutil.copytree(REFERENCE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "regions.yaml").unlink()
    shutil.copy(BAD / "grade_range.yaml", tmp_path / "subjects.yaml")
    with pytest.raises(ReferenceDataError) as caught:
        load_reference(tmp_path)
    assert [p.split(",")[0].split(":")[0] for p in caught.value.problems] == [
        "subjects.yaml",
        "regions.yaml",
    ]
    assert caught.value.problems[1].startswith("regions.yaml: file not found")


def test_yaml_reads_times_and_codes_as_written(tmp_path: Path) -> None:
    rules = (REFERENCE / "calendars" / "olympiad.yaml").read_text(encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(rules.replace('"10:00"', "10:00"), encoding="utf-8")
    loaded = load_yaml_file(tmp_path / "rules.yaml", Calendar)
    # YAML 1.1 would have read 10:00 as 600 seconds, i.e. ten past midnight.
    assert loaded.tracks[Level.SCHOOL].step("results_control").time == dt.time(10, 0)
    regions = "\ufeffregions:\n  - {code: 05, name_ru: Д, name_en: no, timezone: Europe/Moscow}\n"
    (tmp_path / "regions.yaml").write_text(regions, encoding="utf-8")
    [region] = load_yaml_file(tmp_path / "regions.yaml", RegionsFile).regions
    assert (region.code, region.name_en) == ("05", "no")


def test_geography_school_codes_unique_within_a_municipality() -> None:
    assert problems_of("geography_duplicate_school.yaml", GeographyFile) == [
        'geography_duplicate_school.yaml, line 5: regions."65" row 1 (code "ys"): '
        'schools: code "sosh1" is used by rows 1 and 3'
    ]
    [problem] = problems_of("geography_bad_school_zone.yaml", GeographyFile)
    assert 'schools row 1 (code "tomtor"): timezone:' in problem
    assert problem.endswith('(did you mean "Asia/Ust-Nera"?)')


def test_geography_same_school_code_in_two_municipalities_is_fine(tmp_path: Path) -> None:
    (tmp_path / "geo.yaml").write_text(
        'regions:\n  "65":\n'
        "    - {code: ys, name: Южно-Сахалинск, schools: [{code: sosh1, name: СОШ № 1}]}\n"
        "    - {code: korsakov, name: Корсаков, schools: [{code: sosh1, name: СОШ № 1}]}\n",
        encoding="utf-8",
    )
    geo = load_geography(tmp_path / "geo.yaml")
    assert [m.code for m in geo.regions["65"]] == ["ys", "korsakov"]


def test_demo_events_are_checked(ref: ReferenceData) -> None:
    problems = problems_of("demo_bad_event.yaml", DemoData)
    assert problems[0] == (
        'demo_bad_event.yaml, line 5: row 2 (subject "physics"): grade_days: '
        "held_in_days (16) must be the first day, but grade 9 is earlier"
    )
    assert [p.split(": ")[2] for p in problems[1:]] == ["level", "status"]
    with pytest.raises(ReferenceDataError) as caught:
        load_demo(BAD / "demo_unknown_subject.yaml", ref)
    assert caught.value.problems == (
        'demo_unknown_subject.yaml: row 2 (subject "astrology"): subject: '
        '"astrology" is not in subjects.yaml',
        'demo_unknown_subject.yaml: row 3 (subject "physics"): grade_days: '
        "grade 4 is outside the admitted grades 5–11",
    )


@pytest.mark.parametrize(
    ("text", "school_year", "expected"),
    [
        ("09-01", 2026, dt.date(2026, 9, 1)),
        ("12-31", 2026, dt.date(2026, 12, 31)),
        ("01-01", 2026, dt.date(2027, 1, 1)),
        ("07-31", 2026, dt.date(2027, 7, 31)),
        ("08-25", 2026, dt.date(2026, 8, 25)),  # August prepares the coming year
        ("02-29", 2026, dt.date(2027, 2, 28)),  # no 29th: the end of February
        ("02-29", 2027, dt.date(2028, 2, 29)),
        ("9-1", 2026, dt.date(2026, 9, 1)),
    ],
)
def test_month_day_in_school_year(text: str, school_year: int, expected: dt.date) -> None:
    assert MonthDay.model_validate(text).in_school_year(school_year) == expected


@pytest.mark.parametrize("text", ["09-31", "02-30", "13-01", "00-10", "0901", "09/01", "", "x-y"])
def test_month_day_refuses(text: str) -> None:
    with pytest.raises(ValidationError):
        MonthDay.model_validate(text)


@pytest.mark.parametrize(
    ("day", "year"),
    [(dt.date(2026, 9, 1), 2026), (dt.date(2026, 12, 31), 2026), (dt.date(2027, 8, 31), 2026)],
)
def test_school_year_of(day: dt.date, year: int) -> None:
    assert school_year_of(day) == year
    assert school_year_label(year) == "2026/27"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_school_year_runs_from_september_to_august(day: dt.date) -> None:
    year = school_year_of(day)
    assert dt.date(year, 9, 1) <= day < dt.date(year + 1, 9, 1)
    md = MonthDay(month=day.month, day=day.day)
    # MonthDay agrees except in August, which it places before the year as its preparation.
    expected = year - 1 if day.month == 8 else year
    assert school_year_of(md.in_school_year(year)) == expected
