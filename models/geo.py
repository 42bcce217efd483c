"""Regions, municipalities and schools: the scopes everything else hangs on."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base


class Region(Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))

    municipalities: Mapped[list[Municipality]] = relationship(back_populates="region")


class Municipality(Base):
    __tablename__ = "municipality"
    __table_args__ = (UniqueConstraint("region_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))

    region: Mapped[Region] = relationship(back_populates="municipalities")
    schools: Mapped[list[School]] = relationship(back_populates="municipality")


class School(Base):
    __tablename__ = "school"
    __table_args__ = (UniqueConstraint("municipality_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    # Set only where a school keeps other hours than its region (exclaves, far districts).
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)

    municipality: Mapped[Municipality] = relationship(back_populates="schools")
