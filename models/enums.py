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
    # The responsible people of the schools' data calendars (Паспорт школы, ВПР, ...), each
    # held over one scope and, optionally, one calendar (`RoleGrant.calendar`).
    DATA_OPERATOR = "data_operator"  # a school's responsible person (ОО)
    MUNICIPAL_OFFICE = "municipal_office"  # the municipal education office (МОУО)
    REGIONAL_CENTRE = "regional_centre"  # the regional data processing centre (РЦОИ)


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
