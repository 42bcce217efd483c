"""Enumerations stored as strings (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    SCHOOL = "school"
    MUNICIPAL = "municipal"
    REGIONAL = "regional"


class EventStatus(StrEnum):
    DRAFT = "draft"
    REGISTRATION = "registration"
    CONDUCTING = "conducting"
    SUMMARIZING = "summarizing"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class Role(StrEnum):
    ADMIN = "admin"
    REGIONAL = "regional"
    MUNICIPAL = "municipal"
    CURATOR = "curator"


class PersonKind(StrEnum):
    STUDENT = "student"
    PARENT = "parent"
    STAFF = "staff"


class RegistrationState(StrEnum):
    REGISTERED = "registered"
    ADMITTED = "admitted"
    PARTICIPATED = "participated"
    ABSENT = "absent"


class Placement(StrEnum):
    WINNER = "winner"
    PRIZE = "prize"
    PARTICIPANT = "participant"
