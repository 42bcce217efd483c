"""Tables and data access. Importing the package registers every table on `Base.metadata`."""

from models.admission import PriorAward as PriorAward
from models.audit import AuditEntry
from models.base import Base
from models.claims import ClaimCode as ClaimCode
from models.fsm import FsmRecord
from models.geo import Municipality, Region, School
from models.invitations import Invitation as Invitation
from models.olympiad import OlympiadEvent, Registration, Subject
from models.olympiad_day import Appeal as Appeal
from models.olympiad_day import EventDaySetting as EventDaySetting
from models.olympiad_day import ParticipantCode as ParticipantCode
from models.outbox import DeliveryLog, Mute, Outbox, ReminderPreference, WorkerLease
from models.parents import ParentLinkCode as ParentLinkCode
from models.people import ParentLink, RoleGrant, User
from models.uploads import UploadJob as UploadJob

__all__ = [
    "AuditEntry",
    "FsmRecord",
    "Base",
    "DeliveryLog",
    "Municipality",
    "Mute",
    "OlympiadEvent",
    "Outbox",
    "ParentLink",
    "Region",
    "Registration",
    "ReminderPreference",
    "RoleGrant",
    "School",
    "Subject",
    "User",
    "WorkerLease",
]
