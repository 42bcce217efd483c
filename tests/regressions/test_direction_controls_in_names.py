"""Direction controls are removed from typed names on every path into the database (issue 15.21).

U+202E and friends were stored as part of names and reordered the lines those names were shown
in (lists, reports, notifications); a child profile holding one was even refused outright.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.curator.rows import parse_row
from services.parents import links as parents
from services.people.identity import identify
from services.results.match import GivenName
from services.results.upload import given_name
from services.tabular.table import Row

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
RLO, PDF, RLI, PDI, LRM, RLM = "\u202e", "\u202c", "\u2067", "\u2069", "\u200e", "\u200f"
ZWSP, ZWJ, BOM = "\u200b", "\u200d", "\ufeff"
SCRAMBLED = [
    f"{RLO}Аня{PDF} Петрова",
    f"{ZWSP}Аня {RLI}Петрова{PDI}{ZWJ}",
    f" {BOM}{LRM}Аня  Петрова{RLM} ",
    f"Аня{LRM} {RLO}Петрова",
]


@pytest.mark.parametrize("typed", SCRAMBLED)
def test_a_child_profile_keeps_the_name_only(typed: str) -> None:
    assert parents.clean_name(typed) == "Аня Петрова"


CELLS = [
    (f"{RLO}Петрова{PDF}", f"{ZWSP}Аня"),
    (f"{RLI}Петрова{PDI}{ZWJ}", f" {BOM}{LRM}Аня{RLM} "),
    (f"Петрова{LRM}", f"{RLO}Аня"),
]


@pytest.mark.parametrize(("surname", "name"), CELLS)
def test_class_list_rows_and_results_rows(surname: str, name: str) -> None:
    values = {"surname": surname, "name": name, "grade": f"{RLO}7", "subjects": ""}
    row = parse_row(Row(number=2, values=values), {})
    assert (row.full_name, row.grade, row.problem) == ("Петрова Аня", 7, None)
    given = given_name(Row(number=2, values={"surname": surname, "name": name}))
    assert (given.surname, given.name) == ("Петрова", "Аня")
    typed = GivenName.from_text(f"{surname} {name}")  # a results line typed in the chat
    assert typed.display == "Петрова Аня"


async def test_the_telegram_name_a_person_starts_with(session: AsyncSession) -> None:
    ident = await identify(session, 5001, SCRAMBLED[0], frozenset(), NOW)
    assert ident.user.full_name == "Аня Петрова"


def test_joiners_inside_a_name_stay() -> None:
    values = {"surname": f"{ZWJ}Ли{ZWJ}", "name": f"Ан{ZWJ}на", "grade": "7", "subjects": ""}
    assert parse_row(Row(number=2, values=values), {}).full_name == f"Ли Ан{ZWJ}на"
