"""Reading scores as people type them, and the rule that turns scores into placements.

Pure: no I/O. A problem is a `Refused` with a stable code; the handler words it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from models.enums import Placement
from services.errors import Refused

# ВсОШ ranks at most 45 % of a grade's participants as winners and prize-winners together.
PRIZE_SHARE = 0.45
MAX_SCORE_LIMIT = 1000.0
_NUMBER = re.compile(r"^[+]?\d+(?:[.,]\d+)?$")
_GRADES = re.compile(r"^(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?$")
_PLACEMENT_WORDS = {
    "победитель": Placement.WINNER,
    "победительница": Placement.WINNER,
    "winner": Placement.WINNER,
    "призер": Placement.PRIZE,
    "prize": Placement.PRIZE,
    "prizewinner": Placement.PRIZE,
    "prize-winner": Placement.PRIZE,
    "участник": Placement.PARTICIPANT,
    "participant": Placement.PARTICIPANT,
}


@dataclass(frozen=True)
class PassingScores:
    """One score for every grade, optionally overridden for some grades."""

    default: float | None
    per_grade: dict[int, float]

    def as_json(self) -> dict[str, float] | None:
        return {str(g): s for g, s in sorted(self.per_grade.items())} or None


@dataclass(frozen=True)
class Scored:
    key: int
    grade: int
    score: float


def parse_number(text: str) -> float:
    """A number as typed in Russia or elsewhere: "37,5", "37.5", " 40 "."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.match(cleaned):
        raise Refused("res_bad_score", value=text.strip()[:30])
    value = float(cleaned.replace(",", "."))
    if not math.isfinite(value):
        raise Refused("res_bad_score", value=text.strip()[:30])
    return value


def parse_score(text: str, max_score: float | None) -> float:
    """A participant's score: a number from 0 to the event's maximum."""
    if max_score is None:
        raise Refused("res_max_score_not_set")
    value = parse_number(text)
    if value > max_score:
        raise Refused("res_score_out_of_range", value=_fmt(value), max=_fmt(max_score))
    return value


def split_score_line(line: str) -> tuple[str, str]:
    """ "Иванов Иван — 37,5" → ("Иванов Иван", "37,5"); a dash, colon, tab or space separates."""
    text = line.strip()
    for sep in ("—", "–", "\t", ":", " - "):
        name, found, score = text.rpartition(sep)
        if found and name.strip():
            return name.strip(" -"), score.strip()
    name, _, score = text.rpartition(" ")
    if not name.strip():
        raise Refused("res_bad_line", line=text[:40])
    return name.strip(" -"), score.strip()


def parse_max_score(text: str) -> float:
    value = parse_number(text)
    if value <= 0 or value > MAX_SCORE_LIMIT:
        raise Refused("res_bad_max_score", value=_fmt(value), limit=_fmt(MAX_SCORE_LIMIT))
    return value


def parse_passing(text: str, max_score: float | None) -> PassingScores:
    """ "20" for every grade, or "20; 9: 25; 10-11: 30" with overrides per grade."""
    if max_score is None:
        raise Refused("res_max_score_not_set")
    default: float | None = None
    per_grade: dict[int, float] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text))):
        grades, sep, value_text = part.rpartition(":")
        value = parse_score(value_text, max_score)
        if not sep:
            default = value
            continue
        match = _GRADES.match(grades.strip())
        if match is None:
            raise Refused("res_bad_passing", value=part[:30])
        first, last = int(match[1]), int(match[2] or match[1])
        if not 1 <= first <= last <= 11:  # noqa: PLR2004 - grades are 1 to 11
            raise Refused("res_bad_passing", value=part[:30])
        per_grade.update(dict.fromkeys(range(first, last + 1), value))
    if default is None and not per_grade:
        raise Refused("res_bad_passing", value=text.strip()[:30])
    return PassingScores(default, per_grade)


def passing_for(
    default: float | None, per_grade: Mapping[str, float] | None, grade: int
) -> float | None:
    """The passing score that applies to a grade (its own, else the event's), if any."""
    if per_grade and str(grade) in per_grade:
        return float(per_grade[str(grade)])
    return default


def parse_placement(text: str) -> Placement | None:
    word = text.strip().casefold().replace("ё", "е")
    if not word:
        return None
    placement = _PLACEMENT_WORDS.get(word)
    if placement is None:
        raise Refused("res_bad_placement", value=text.strip()[:30])
    return placement


def award_threshold(passing: float | None, max_score: float) -> Callable[[float], bool]:
    """Who may be ranked at all: the passing score, else more than half of the maximum."""
    if passing is not None:
        return lambda score: score >= passing
    return lambda score: score > max_score / 2


def assign_placements(
    entries: Iterable[Scored],
    max_score: float,
    passing: Callable[[int], float | None],
    share: float = PRIZE_SHARE,
) -> dict[int, Placement]:
    """Placements, ranked within each grade as ВсОШ ranks them.

    The top score of a grade wins if it clears the threshold (ties all win); the next scores
    become prize-winners while winners and prize-winners together stay within `share` of the
    grade's participants. A tie that would cross the quota is left out whole, so equal scores
    always get equal placements. Everyone else with a score is a participant.
    """
    by_grade: dict[int, list[Scored]] = {}
    for entry in entries:
        by_grade.setdefault(entry.grade, []).append(entry)
    result: dict[int, Placement] = {}
    for grade, items in by_grade.items():
        eligible = award_threshold(passing(grade), max_score)
        quota = math.floor(len(items) * share)
        scores = sorted({i.score for i in items if eligible(i.score)}, reverse=True)
        awarded = 0
        for rank, score in enumerate(scores):
            tied = [i for i in items if i.score == score]
            if rank > 0 and awarded + len(tied) > quota:
                break
            for item in tied:
                result[item.key] = Placement.WINNER if rank == 0 else Placement.PRIZE
            awarded += len(tied)
        for item in items:
            result.setdefault(item.key, Placement.PARTICIPANT)
    return result


def _fmt(value: float) -> str:
    return format_score(value)


def format_score(value: float | None) -> str:
    """37.5 → "37,5"; whole numbers without a decimal part."""
    return "" if value is None else f"{value:g}".replace(".", ",")
