"""Who is admitted to the next stage, and who is borderline."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.enums import Level
from services.rules.admission import (
    Candidate,
    Source,
    admits_grade,
    admitted,
    borderline,
    clears,
    counts,
    grade_now,
    is_borderline,
    previous_level,
)


def scored(student: int, score: float, threshold: float | None, subject: int = 1, grade: int = 9):
    return Candidate(student, subject, grade, Source.SCORE, score, threshold)


def test_previous_stage() -> None:
    assert previous_level(Level.MUNICIPAL) == Level.SCHOOL
    assert previous_level(Level.REGIONAL) == Level.MUNICIPAL
    with pytest.raises(ValueError, match="school"):
        previous_level(Level.SCHOOL)


def test_at_or_above_the_passing_score_clears_it() -> None:
    assert clears(14, 14)
    assert clears(14.5, 14)
    assert not clears(13.9, 14)
    assert not clears(50, None)  # no passing score set: nobody is admitted by score


@pytest.mark.parametrize(
    ("score", "threshold", "expected"),
    [
        (20, 20, True),
        (18, 20, True),
        (17.9, 20, False),
        (19.5, 20, True),
        (21, 20, False),
        (5, None, False),
    ],
)
def test_borderline_is_on_the_line_or_within_ten_percent_below(
    score: float, threshold: float | None, expected: bool
) -> None:
    assert is_borderline(score, threshold) is expected


def test_last_years_grade_moves_up_one() -> None:
    assert grade_now(8) == 9
    assert admits_grade(9, 7, 11)
    assert not admits_grade(12, 7, 11)


def test_admitted_keeps_one_entry_per_student_and_subject() -> None:
    award = Candidate(1, 1, 9, Source.AWARD)
    result = admitted([award, scored(1, 30, 20), scored(2, 19, 20), scored(3, 25, 20, subject=2)])
    assert sorted((c.student_id, c.subject_id, c.source) for c in result) == [
        (1, 1, Source.SCORE),
        (3, 2, Source.SCORE),
    ]


def test_last_years_winner_is_admitted_without_a_score() -> None:
    result = admitted([Candidate(7, 1, 10, Source.AWARD), scored(7, 3, 20)])
    assert [(c.student_id, c.source) for c in result] == [(7, Source.AWARD)]


def test_borderline_nearest_first_and_counts() -> None:
    found = borderline(
        [
            scored(1, 20, 20),
            scored(2, 18.5, 20),
            scored(3, 10, 20),
            Candidate(4, 1, 9, Source.AWARD),
        ]
    )
    assert [c.student_id for c in found] == [1, 2]
    assert counts([scored(1, 20, 20), scored(2, 30, 20, grade=10), scored(3, 30, 20)]) == {
        (1, 9): 2,
        (1, 10): 1,
    }


@given(
    st.lists(st.tuples(st.integers(1, 30), st.integers(1, 3), st.floats(0, 50)), max_size=50),
    st.floats(1, 50),
)
def test_admitted_only_those_who_clear(rows: list[tuple[int, int, float]], line: float) -> None:
    candidates = [scored(s, score, line, subject=subj) for s, subj, score in rows]
    result = admitted(candidates)
    assert all(clears(c.score or 0, line) for c in result)
    keys = [(c.student_id, c.subject_id) for c in result]
    assert len(keys) == len(set(keys))
    assert set(keys) == {(c.student_id, c.subject_id) for c in candidates if clears(c.score, line)}
