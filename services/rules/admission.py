"""Who goes on to the next stage, and whose case deserves a second look. Pure: no I/O.

The general rules of ВсОШ admit to a stage (1) this year's participants of the previous stage
who scored at least the passing score, and (2) last year's winners and prize-winners of the
same stage, if they still study in a grade the stage admits.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from models.enums import Level

# "Borderline": on the passing score, or at most this share of it below.
BORDERLINE_SHARE = 0.10

PREVIOUS_LEVEL: dict[Level, Level] = {
    Level.MUNICIPAL: Level.SCHOOL,
    Level.REGIONAL: Level.MUNICIPAL,
}


class Source(StrEnum):
    SCORE = "score"  # this year's previous stage, at or above the passing score
    AWARD = "award"  # last year's winner or prize-winner of the same stage


@dataclass(frozen=True)
class Candidate:
    student_id: int
    subject_id: int
    grade: int  # this school year's grade
    source: Source
    score: float | None = None
    threshold: float | None = None


def previous_level(level: Level) -> Level:
    try:
        return PREVIOUS_LEVEL[level]
    except KeyError:
        raise ValueError(f"no stage forms its list from before {level}") from None


def clears(score: float, threshold: float | None) -> bool:
    """At or above the passing score; with no passing score set nobody clears it."""
    return threshold is not None and (score > threshold or math.isclose(score, threshold))


def is_borderline(score: float, threshold: float | None, share: float = BORDERLINE_SHARE) -> bool:
    """Exactly on the passing score, or below it by at most `share` of it."""
    if threshold is None:
        return False
    if math.isclose(score, threshold):
        return True
    return threshold * (1 - share) <= score < threshold


def grade_now(grade_then: int, years_ago: int = 1) -> int:
    """Last year's protocols give last year's grade; a year later the student is one up."""
    return grade_then + years_ago


def admits_grade(grade: int, grade_min: int, grade_max: int) -> bool:
    return grade_min <= grade <= grade_max


def admitted(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One entry per student and subject; a score this year is shown before last year's award."""
    chosen: dict[tuple[int, int], Candidate] = {}
    for candidate in candidates:
        if candidate.source == Source.SCORE and not clears(
            candidate.score or 0.0, candidate.threshold
        ):
            continue
        key = (candidate.student_id, candidate.subject_id)
        current = chosen.get(key)
        upgrade = current is not None and current.source == Source.AWARD
        if current is None or (upgrade and candidate.source == Source.SCORE):
            chosen[key] = candidate
    return list(chosen.values())


def borderline(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Score-based candidates on or just under the line, nearest to it first."""
    found = [
        c
        for c in candidates
        if c.source == Source.SCORE and c.score is not None and is_borderline(c.score, c.threshold)
    ]
    return sorted(found, key=lambda c: (abs((c.threshold or 0) - (c.score or 0)), c.student_id))


def counts(entries: Iterable[Candidate]) -> Counter[tuple[int, int]]:
    """How many are admitted per (subject, grade)."""
    return Counter((c.subject_id, c.grade) for c in entries)
