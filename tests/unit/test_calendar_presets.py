"""The calendars that ship as presets load with the rest of the reference data."""

from __future__ import annotations

from pathlib import Path

from services.reference.loader import load_reference

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


def test_the_reference_folder_loads_every_calendar_by_code() -> None:
    ref = load_reference(REFERENCE)
    assert sorted(ref.calendars) == ["olympiad", "school_passport", "school_year_switch", "vpr"]
    assert {code: calendar.code for code, calendar in ref.calendars.items()} == {
        code: code for code in ref.calendars
    }
    assert set(ref.calendars["vpr"].tracks) == {"open_archive", "encrypted_archive"}
    assert set(ref.calendars["school_passport"].tracks) == {"collection", "planning", "exam"}
