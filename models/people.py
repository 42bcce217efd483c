"""People known to the bot, their staff roles and the parent–child links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.enums import PersonKind, Role
from models.geo import School


class User(Base):
    """A person: with a Telegram account, or a record a curator or parent made for a child."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    tg_id: Mapped[int | None] = mapped_column(BigInteger, unique=True, default=None)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str | None] = mapped_column(String(8), default=None)
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    kind: Mapped[PersonKind | None] = mapped_column(String(16), default=None)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="SET NULL"), index=True, default=None
    )
    grade: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    onboarded_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set on a 403 from Telegram (bot blocked); cleared when the person writes again.
    unreachable_since: Mapped[datetime | None] = mapped_column(default=None)

    school: Mapped[School | None] = relationship(lazy="raise")

    __table_args__ = (CheckConstraint("grade IS NULL OR (grade >= 1 AND grade <= 11)", "grade"),)


class RoleGrant(Base):
    """A staff role over one scope; revoked grants are kept for the audit trail."""

    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(String(16))
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("region.id", ondelete="CASCADE"), default=None
    )
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), default=None
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), default=None
    )
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    # The code of the one calendar a data-calendar role is held in; None: every calendar.
    calendar: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class ParentLink(Base):
    __tablename__ = "parent_link"
    __table_args__ = (UniqueConstraint("parent_id", "child_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # True when the parent created the child's profile and manages it (children under 14).
    managed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
