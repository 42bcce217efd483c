"""Tables and data access. Importing the package registers every table on `Base.metadata`."""

from models.audit import AuditEntry
from models.base import Base
from models.fsm import FsmRecord
from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import ParentLink, RoleGrant, User

__all__ = [
    "AuditEntry",
    "FsmRecord",
    "Base",
    "Municipality",
    "OlympiadEvent",
    "ParentLink",
    "Region",
    "Registration",
    "RoleGrant",
    "School",
    "Subject",
    "User",
]
