"""Which calendars concern a person, for the quiet hours /reminders offers: the rules the
calendars' senders use, read from a kind and the grants held."""

from __future__ import annotations

from pathlib import Path

import pytest

from calendars.loader import load_calendar
from models.enums import Role
from models.people import RoleGrant
from services.reminder_settings.concern import concerns

DATA = Path(__file__).resolve().parents[2] / "data/reference/calendars"
CALENDARS = {path.stem: load_calendar(path) for path in DATA.glob("*.yaml")}
CODES = ("olympiad", "school_passport", "vpr", "school_year_switch", "collections")


def _grant(role: Role, calendar: str | None = None, school: int | None = None) -> RoleGrant:
    return RoleGrant(role=role, calendar=calendar, school_id=school)


@pytest.mark.parametrize(
    ("kind", "grants", "expected"),
    [
        ("student", [], {"olympiad"}),
        ("parent", [], {"olympiad"}),
        (None, [], set()),
        ("staff", [_grant(Role.CURATOR, school=1)],
         {"olympiad", "school_year_switch", "collections"}),
        ("staff", [_grant(Role.DATA_OPERATOR, school=1)],
         {"school_passport", "vpr", "school_year_switch", "collections"}),
        ("staff", [_grant(Role.DATA_OPERATOR, "vpr", school=1)],
         {"vpr", "school_year_switch", "collections"}),
        ("staff", [_grant(Role.MUNICIPAL_OFFICE, "school_passport")],
         {"school_passport", "school_year_switch", "collections"}),
        ("staff", [_grant(Role.REGIONAL_CENTRE)],
         {"school_passport", "vpr", "school_year_switch", "collections"}),
        ("staff", [_grant(Role.REGIONAL)], {"olympiad", "school_year_switch", "collections"}),
        ("student", [_grant(Role.DATA_OPERATOR, "school_passport", school=1)],
         {"olympiad", "school_passport", "school_year_switch", "collections"}),
    ],
)  # fmt: skip
def test_what_concerns_whom(kind: str | None, grants: list[RoleGrant], expected: set[str]) -> None:
    assert {code for code in CODES if concerns(code, kind, grants, CALENDARS)} == expected


def test_a_calendar_the_deployment_lacks_or_does_not_know_concerns_nobody() -> None:
    operator = [_grant(Role.DATA_OPERATOR, school=1)]
    assert not concerns("school_year_switch", None, operator, {})
    assert not concerns("no_such_calendar", "student", operator, CALENDARS)
