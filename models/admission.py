"""Last year's winners and prize-winners, imported for the admission to this year's stage."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.enums import Level, Placement


class PriorAward(Base):
    """A winner or prize-winner of a stage in an earlier school year.

    The bot may not have run that year, so the organiser imports these from last year's
    protocols; an award the bot itself recorded stays on its registration instead.
    """

    __tablename__ = "prior_award"
    __table_args__ = (UniqueConstraint("student_id", "subject_id", "level", "school_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"))
    level: Mapped[Level] = mapped_column(String(16))
    school_year: Mapped[int]
    placement: Mapped[Placement] = mapped_column(String(16))
    grade: Mapped[int]  # the grade the student was in when the award was won
    # The organiser scope ("m<id>" or "r<id>") whose file brought the award in.
    scope_key: Mapped[str] = mapped_column(String(24), index=True)
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime]
