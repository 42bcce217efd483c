"""Reading scores as typed, passing scores per grade, and the placement rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.enums import Placement
from services.errors import Refused
from services.rules.scores import (
    Scored,
    assign_placements,
    format_score,
    parse_max_score,
    parse_passing,
    parse_placement,
    parse_score,
    passing_for,
    split_score_line,
)


@pytest.mark.parametrize(
    ("text", "value"), [("37,5", 37.5), ("37.5", 37.5), (" 40 ", 40.0), ("0", 0.0), ("35", 35.0)]
)
def test_scores_read_with_comma_or_dot(text: str, value: float) -> None:
    assert parse_score(text, 40) == value


@pytest.mark.parametrize("text", ["", "abc", "-1", "1e3", "nan", "inf", "3,5,1", "12 баллов"])
def test_not_a_score_is_refused(text: str) -> None:
    with pytest.raises(Refused) as caught:
        parse_score(text, 40)
    assert caught.value.reason == "res_bad_score"


def test_score_above_maximum_is_refused_with_both_numbers() -> None:
    with pytest.raises(Refused) as caught:
        parse_score("40,5", 40)
    assert caught.value.reason == "res_score_out_of_range"
    assert caught.value.details == {"value": "40,5", "max": "40"}


def test_score_needs_a_maximum_first() -> None:
    with pytest.raises(Refused) as caught:
        parse_score("10", None)
    assert caught.value.reason == "res_max_score_not_set"


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_any_typed_score_in_range_is_read_back(value: object) -> None:
    text = str(value).replace(".", ",")
    assert parse_score(text, 100) == pytest.approx(float(str(value)))


def test_maximum_must_be_positive_and_sane() -> None:
    assert parse_max_score("100") == 100
    for text in ("0", "1001"):
        with pytest.raises(Refused):
            parse_max_score(text)


def test_passing_score_for_all_grades_and_per_grade() -> None:
    scores = parse_passing("20; 9: 25; 10-11: 30,5", 50)
    assert scores.default == 20
    assert scores.per_grade == {9: 25, 10: 30.5, 11: 30.5}
    stored = scores.as_json()
    assert passing_for(scores.default, stored, 7) == 20
    assert passing_for(scores.default, stored, 11) == 30.5


def test_passing_score_only_per_grade() -> None:
    scores = parse_passing("7-8: 12\n9: 15", 50)
    assert scores.default is None
    assert passing_for(None, scores.as_json(), 6) is None
    assert passing_for(None, scores.as_json(), 8) == 12


@pytest.mark.parametrize("text", ["", "abc", "12: 5: 3", "0-3: 5", "9: 60", "13: 5"])
def test_bad_passing_scores_are_refused(text: str) -> None:
    with pytest.raises(Refused):
        parse_passing(text, 50)


@pytest.mark.parametrize(
    ("line", "name", "score"),
    [
        ("Иванов Иван — 37,5", "Иванов Иван", "37,5"),
        ("Иванов Иван - 37", "Иванов Иван", "37"),
        ("Иванов Иван: 12", "Иванов Иван", "12"),
        ("Иванов Иван 12.5", "Иванов Иван", "12.5"),
        ("Римский-Корсаков Николай Андреевич – 40", "Римский-Корсаков Николай Андреевич", "40"),
    ],
)
def test_score_lines_split_at_the_last_separator(line: str, name: str, score: str) -> None:
    assert split_score_line(line) == (name, score)


@pytest.mark.parametrize(
    ("text", "placement"),
    [
        ("Победитель", Placement.WINNER),
        ("призёр", Placement.PRIZE),
        ("ПРИЗЕР", Placement.PRIZE),
        ("участник", Placement.PARTICIPANT),
        ("winner", Placement.WINNER),
        ("", None),
    ],
)
def test_placements_read_in_russian_or_english(text: str, placement: Placement | None) -> None:
    assert parse_placement(text) == placement


def test_unknown_placement_is_refused() -> None:
    with pytest.raises(Refused):
        parse_placement("чемпион")


def test_placements_rank_within_each_grade() -> None:
    entries = [
        Scored(1, 9, 40),
        Scored(2, 9, 35),
        Scored(3, 9, 30),
        Scored(4, 9, 10),
        Scored(5, 10, 20),
        Scored(6, 10, 45),
    ]
    result = assign_placements(entries, 50, lambda grade: 25)
    # grade 9: 4 participants, quota floor(1.8) = 1 → only the winner
    assert result == {
        1: Placement.WINNER,
        2: Placement.PARTICIPANT,
        3: Placement.PARTICIPANT,
        4: Placement.PARTICIPANT,
        5: Placement.PARTICIPANT,
        6: Placement.WINNER,
    }


def test_prize_winners_fill_the_quota_and_ties_stay_together() -> None:
    scores = [48, 45, 44, 44, 40, 30, 28, 20, 10, 5]
    entries = [Scored(i, 11, s) for i, s in enumerate(scores)]
    result = assign_placements(entries, 50, lambda grade: 25)
    # quota floor(10 * 0.45) = 4: winner 48, prize 45, the tie at 44 fits (4 in all), 40 does not
    assert [result[i] for i in range(5)] == [
        Placement.WINNER,
        Placement.PRIZE,
        Placement.PRIZE,
        Placement.PRIZE,
        Placement.PARTICIPANT,
    ]
    assert all(result[i] == Placement.PARTICIPANT for i in range(5, 10))


def test_nobody_wins_below_the_threshold() -> None:
    entries = [Scored(1, 5, 20), Scored(2, 5, 10)]
    assert set(assign_placements(entries, 50, lambda grade: None).values()) == {
        Placement.PARTICIPANT
    }  # without a passing score, more than half of the maximum is needed


@given(st.lists(st.tuples(st.integers(5, 11), st.integers(0, 50)), max_size=60))
def test_placement_rule_invariants(rows: list[tuple[int, int]]) -> None:
    entries = [Scored(i, grade, float(score)) for i, (grade, score) in enumerate(rows)]
    result = assign_placements(entries, 50, lambda grade: 20)
    assert set(result) == {e.key for e in entries}
    for entry in entries:
        same = [e for e in entries if e.grade == entry.grade and e.score == entry.score]
        assert {result[e.key] for e in same} == {result[entry.key]}  # ties are equal
        if result[entry.key] != Placement.PARTICIPANT:
            assert entry.score >= 20
    for grade in {g for g, _ in rows}:
        in_grade = [e for e in entries if e.grade == grade]
        prizes = [e for e in in_grade if result[e.key] == Placement.PRIZE]
        winners = [e for e in in_grade if result[e.key] == Placement.WINNER]
        assert len(prizes) + len(winners) <= max(len(winners), int(len(in_grade) * 0.45))


def test_scores_are_shown_with_a_decimal_comma() -> None:
    assert format_score(37.5) == "37,5"
    assert format_score(40.0) == "40"
    assert format_score(None) == ""
