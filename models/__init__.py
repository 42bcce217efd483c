"""Tables and data access. Importing the package registers every table on `Base.metadata`."""

from models.admission import PriorAward as PriorAward
from models.audit import AuditEntry
from models.base import Base
from models.calendar_steps import PlanWork as PlanWork
from models.calendar_steps import StepMark as StepMark
from models.claims import ClaimCode as ClaimCode
from models.collections import CardCompleteness as CardCompleteness
from models.collections import Collection as Collection
from models.collections import CollectionOrg as CollectionOrg
from models.collections import CollectionReport as CollectionReport
from models.consent import Consent as Consent
from models.fsm import FsmRecord
from models.geo import Municipality, Region, School
from models.inbox import InboxUpdate as InboxUpdate
from models.invitations import Invitation as Invitation
from models.olympiad import OlympiadEvent, Registration, Subject
from models.olympiad_day import Appeal as Appeal
from models.olympiad_day import EventDaySetting as EventDaySetting
from models.olympiad_day import ParticipantCode as ParticipantCode
from models.outbox import DeliveryLog, Mute, Outbox, ReminderPreference, WorkerLease
from models.outbox import OutboxDocument as OutboxDocument
from models.parents import ParentLinkCode as ParentLinkCode
from models.people import ParentLink, RoleGrant, User
from models.plan_requests import PlanRequest as PlanRequest
from models.registration_counts import RegistrationCount as RegistrationCount
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
