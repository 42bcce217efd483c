"""One person's roles in events' audiences, decided in Python from what `memberships` read.

The same rules as `reminders.audience` (which asks the database per event): a test checks that
both give the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calendars.schema import REGISTRATION_CLOSES, Audience
from models.enums import EventStatus, Level
from models.olympiad import OlympiadEvent
from reminders.audience import SELF_REGISTRATION_LEVELS
from reminders.plan import Recipient
from reminders.prefs import Prefs
from reminders.scope import Belonging

_REGISTRATION = frozenset({REGISTRATION_CLOSES})


@dataclass(frozen=True)
class Place:
    """A school as seen from an event's scope."""

    school_id: int
    zone: str | None
    municipality_id: int
    region_id: int

    def within(self, event: OlympiadEvent) -> bool:
        if event.level != Level.REGIONAL and event.municipality_id is not None:
            return self.municipality_id == event.municipality_id
        return self.region_id == event.region_id


@dataclass
class Pupil:
    place: Place | None
    grade: int | None
    student: bool
    registered: dict[int, int] = field(default_factory=dict)  # event id → grade


@dataclass
class Memberships:
    user_id: int
    reachable: bool  # has a Telegram account
    own_zone: str | None
    prefs: Prefs
    me: Pupil
    children: list[Pupil] = field(default_factory=list)
    curator_of: list[Place] = field(default_factory=list)
    municipal: dict[int, int] = field(default_factory=dict)  # municipality → its region
    regional: set[int] = field(default_factory=set)
    muted_events: set[int] = field(default_factory=set)
    muted_steps: dict[int | None, set[str]] = field(default_factory=dict)  # None: everywhere

    def belonging(self) -> Belonging:
        places = [p.place for p in (self.me, *self.children) if p.place] + self.curator_of
        found = Belonging(regions=set(self.regional), whole_regions=set(self.regional))
        found.municipalities = {p.municipality_id for p in places} | set(self.municipal)
        found.regions |= {p.region_id for p in places} | set(self.municipal.values())
        return found

    def muted(self, event_id: int) -> frozenset[str]:
        return frozenset(self.muted_steps.get(None, set()) | self.muted_steps.get(event_id, set()))


def recipients_in(event: OlympiadEvent, region_zone: str, m: Memberships) -> list[Recipient]:
    """The person's roles in the event's audience, as `event_recipients` would find them."""
    if not m.reachable or event.id in m.muted_events:
        return []
    muted = m.muted(event.id)
    found = []

    def add(
        audience: Audience,
        place: Place | None,
        grade: int | None,
        only: frozenset[str] | None = None,
        extra: frozenset[str] = frozenset(),
    ) -> None:
        step_zone = (place.zone if place else None) or region_zone
        found.append(
            Recipient(
                m.user_id,
                audience,
                step_zone,
                m.own_zone or step_zone,
                event.date_for_grade(grade),
                m.prefs,
                only,
                muted | extra,
            )
        )

    for audience, pupils in ((Audience.STUDENT, [m.me]), (Audience.PARENT, m.children)):
        for pupil in pupils:
            if event.id in pupil.registered:
                add(audience, pupil.place, pupil.registered[event.id], extra=_REGISTRATION)
            elif _eligible(pupil, event):
                add(audience, pupil.place, pupil.grade, only=_REGISTRATION)
    for school in m.curator_of:
        if school.within(event):
            add(Audience.CURATOR, school, None)
    municipal = event.level != Level.REGIONAL and event.municipality_id is not None
    if (event.municipality_id in m.municipal) if municipal else (event.region_id in m.regional):
        add(Audience.ORGANISER, None, None)
    if municipal and event.region_id in m.regional:
        add(Audience.SUPERVISOR, None, None)
    return found


def _eligible(pupil: Pupil, event: OlympiadEvent) -> bool:
    if event.level not in SELF_REGISTRATION_LEVELS or event.status != EventStatus.REGISTRATION:
        return False
    if not pupil.student or pupil.place is None or pupil.grade is None:
        return False
    return pupil.place.within(event) and event.grade_min <= pupil.grade <= event.grade_max
