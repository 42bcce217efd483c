"""Subjects, olympiad events and registrations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.enums import EventStatus, Level, Placement, RegistrationState
from models.geo import Municipality, Region
from models.people import User


class Subject(Base):
    __tablename__ = "subject"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_ru: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(default=0)


class OlympiadEvent(Base):
    """One subject × level × organiser scope × school year."""

    __tablename__ = "olympiad_event"
    __table_args__ = (
        # scope_key is "r<id>" or "m<id>": a NULL municipality would defeat a unique index.
        UniqueConstraint("subject_id", "level", "scope_key", "school_year"),
        CheckConstraint("grade_min <= grade_max", "grade_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    level: Mapped[Level] = mapped_column(String(16))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id"), index=True, default=None
    )
    scope_key: Mapped[str] = mapped_column(String(24))
    school_year: Mapped[int]  # the calendar year the school year starts in: 2026 = 2026/27
    held_on: Mapped[dt.date]
    # Per-grade dates where a subject sits on different days: {"5": "2026-10-01", ...}.
    grade_dates: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)
    grade_min: Mapped[int]
    grade_max: Mapped[int]
    place: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[EventStatus] = mapped_column(String(16), default=EventStatus.REGISTRATION)
    max_score: Mapped[float | None] = mapped_column(Float, default=None)
    passing_score: Mapped[float | None] = mapped_column(Float, default=None)
    passing_scores: Mapped[dict[str, float] | None] = mapped_column(JSON, default=None)
    results_published_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]

    subject: Mapped[Subject] = relationship(lazy="raise")
    region: Mapped[Region] = relationship(lazy="raise")
    municipality: Mapped[Municipality | None] = relationship(lazy="raise")

    def date_for_grade(self, grade: int | None) -> dt.date:
        if grade is not None and self.grade_dates and str(grade) in self.grade_dates:
            return dt.date.fromisoformat(self.grade_dates[str(grade)])
        return self.held_on


def scope_key_for(region_id: int, municipality_id: int | None) -> str:
    return f"m{municipality_id}" if municipality_id is not None else f"r{region_id}"


class Registration(Base):
    __tablename__ = "registration"
    __table_args__ = (
        UniqueConstraint("event_id", "student_id"),
        # An event's registrations, and their counts read from the index alone (the panel and
        # /overview count registrations, results and absences per event over a whole region).
        Index("ix_registration_event_id_state_score", "event_id", "state", "score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("olympiad_event.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[RegistrationState] = mapped_column(
        String(16), default=RegistrationState.REGISTERED
    )
    grade: Mapped[int]
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[dt.datetime]
    score: Mapped[float | None] = mapped_column(Float, default=None)
    placement: Mapped[Placement | None] = mapped_column(String(16), default=None)

    event: Mapped[OlympiadEvent] = relationship(lazy="raise")
    student: Mapped[User] = relationship(lazy="raise", foreign_keys=[student_id])
