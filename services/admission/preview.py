"""What forming the list would do, computed from what `admission_sources` read (no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from models.olympiad import Subject
from services.admission.sources import Found, Slot, Target
from services.rules.admission import Candidate, admits_grade, admitted, borderline, clears, counts

# The preview message stays under Telegram's 4096 characters.
MAX_BORDERLINE_SHOWN = 15


@dataclass(frozen=True)
class Admit:
    found: Found
    event_id: int
    subject: str
    new: bool


@dataclass(frozen=True)
class Count:
    subject: str
    grade: int
    total: int
    new: int


@dataclass(frozen=True)
class Near:
    name: str
    subject: str
    grade: int
    score: float
    threshold: float
    admitted: bool


@dataclass(frozen=True)
class Preview:
    target: Target
    admits: list[Admit]
    counts: list[Count]
    borderline: list[Near]
    borderline_total: int
    missing_events: list[str] = field(default_factory=list)
    no_threshold: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    out_of_grades: int = 0
    awards: int = 0
    # Subjects whose appeal window is still open: the list is preliminary until it closes.
    preliminary: list[str] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(a.new for a in self.admits)


@dataclass(frozen=True)
class Sources:
    """What the list is formed from, as `admission_sources` read it."""

    scores: list[Found]
    awards: list[Found]
    slots: dict[int, Slot]
    existing: set[tuple[int, int]]  # (event, student) already registered
    subjects: dict[int, Subject]

    @cached_property
    def _by_key(self) -> dict[tuple[int, int, str], Found]:
        return {
            (f.candidate.student_id, f.candidate.subject_id, f.candidate.source): f
            for f in [*self.scores, *self.awards]
        }

    def found(self, c: Candidate) -> Found:
        return self._by_key[(c.student_id, c.subject_id, c.source)]


def build_preview(target: Target, sources: Sources, locale: str) -> Preview:
    def name(subject_id: int) -> str:
        subject = sources.subjects[subject_id]
        return subject.name_en if locale == "en" else subject.name_ru

    admits, missing, out_of_grades = _place(sources, name)
    near = [
        Near(sources.found(c).person.name, name(c.subject_id), c.grade, c.score or 0.0,
             c.threshold or 0.0, clears(c.score or 0.0, c.threshold))
        for c in borderline(f.candidate for f in sources.scores)
    ]  # fmt: skip
    scores = sources.scores
    return Preview(
        target=target,
        admits=admits,
        counts=_table(admits, name),
        borderline=near[:MAX_BORDERLINE_SHOWN],
        borderline_total=len(near),
        missing_events=sorted(name(s) for s in missing),
        no_threshold=_subjects_where(scores, name, lambda f: f.candidate.threshold is None),
        unpublished=_subjects_where(scores, name, lambda f: not f.published),
        out_of_grades=out_of_grades,
        awards=len({(f.candidate.student_id, f.candidate.subject_id) for f in sources.awards}),
    )


def _place(sources: Sources, name: Callable[[int], str]) -> tuple[list[Admit], set[int], int]:
    """Each admitted candidate in the event of their subject; the rest counted as missed."""
    admits, missing, out_of_grades = [], set(), 0
    for chosen in admitted(f.candidate for f in [*sources.scores, *sources.awards]):
        slot = sources.slots.get(chosen.subject_id)
        if slot is None:
            missing.add(chosen.subject_id)
        elif not admits_grade(chosen.grade, slot.grade_min, slot.grade_max):
            out_of_grades += 1
        else:
            is_new = (slot.event_id, chosen.student_id) not in sources.existing
            admit = Admit(sources.found(chosen), slot.event_id, name(chosen.subject_id), is_new)
            admits.append(admit)
    return admits, missing, out_of_grades


def _table(admits: list[Admit], name: Callable[[int], str]) -> list[Count]:
    new = counts(a.found.candidate for a in admits if a.new)
    table = [
        Count(name(subject_id), grade, total, new[(subject_id, grade)])
        for (subject_id, grade), total in counts(a.found.candidate for a in admits).items()
    ]
    return sorted(table, key=lambda c: (c.subject, c.grade))


def _subjects_where(
    found: list[Found], name: Callable[[int], str], test: Callable[[Found], bool]
) -> list[str]:
    return sorted({name(f.candidate.subject_id) for f in found if test(f)})
