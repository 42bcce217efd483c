"""Nudges to the schools that have not done a step yet, before its date.

Planned into the outbox at the person's reminder offsets (a week and a day before by default),
moved out of their quiet hours and into their digest slot as every reminder is; at most one per
step, school, person and local day (the outbox key says so); none for a muted calendar; the
quiet hours are the person's own for the calendar when they set them (`reminders.calendar_quiet`);
the pending ones are cancelled when the step is marked done (`marks.cancel_nudges`). The steps a
municipal office or a regional centre does itself are nudged to the holders of that role there
the same way (`offices`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Audience, Calendar
from models.enums import Role
from models.outbox import Mute, ReminderPreference
from models.people import RoleGrant, User
from reminders.audience import prefs_of
from reminders.calendar_quiet import calendar_quiet
from reminders.mutes import calendar_target
from reminders.notices import Button, queue_notice_at
from reminders.prefs import Prefs, reminder_instants
from reminders.quiet import QuietHours
from reminders.views import when_line
from services.calendar_steps.board import Line, boards
from services.calendar_steps.items import CALENDARS
from services.calendar_steps.marks import nudge_key
from services.calendar_steps.offices import Office, my_offices_of, office_board, office_nudge_key
from services.calendar_steps.places import schools_in
from services.scopes import DEPLOYMENT
from ui.callbacks.calendar_steps import LETTER_OF, CoAct, CoCb, CsAct, CsCb

# Longer than the longest reminder offset (a week), so a nudge is planned before its moment.
HORIZON = dt.timedelta(days=14)
# A nudge whose moment passed less than this ago (between two planning runs) still goes out.
LATE = dt.timedelta(hours=2)


Holders = list[tuple[RoleGrant, User, ReminderPreference | None]]
OFFICE_ROLES = (Role.MUNICIPAL_OFFICE, Role.REGIONAL_CENTRE)


@dataclass(frozen=True)
class Target:
    """Whom a step's nudge is about: a school or an office, its zone, keys and button."""

    name: str
    zone: str
    key: str  # the start of the outbox keys (`marks.nudge_key`, `offices.office_nudge_key`)
    button: str  # packed callback data of "Open the step"


async def _holders(
    session: AsyncSession, roles: tuple[Role, ...], only_user: int | None = None
) -> Holders:
    query = (
        select(RoleGrant, User, ReminderPreference)
        .join(User, RoleGrant.user_id == User.id)
        .outerjoin(ReminderPreference, ReminderPreference.user_id == User.id)
        .where(
            RoleGrant.role.in_(roles),
            RoleGrant.revoked_at.is_(None),
            User.tg_id.is_not(None),
            User.unreachable_since.is_(None),
        )
    )
    if only_user is not None:
        query = query.where(User.id == only_user)
    return [(g, u, p) for g, u, p in await session.execute(query)]


async def _muted(session: AsyncSession, code: str) -> set[int]:
    rows = await session.scalars(select(Mute.user_id).where(Mute.target == calendar_target(code)))
    return set(rows)


async def plan_nudges(
    session: AsyncSession,
    calendars: Mapping[str, Calendar],
    now: dt.datetime,
    only_user: int | None = None,
) -> int:
    """Queues the nudges of every data calendar that fall before `now + HORIZON` (to one
    person when `only_user` names them); returns how many rows are new. Idempotent: planning
    again finds the same keys."""
    operators = [
        h for h in await _holders(session, (Role.DATA_OPERATOR,), only_user)
        if h[0].school_id is not None
    ]  # fmt: skip
    offices = await _holders(session, OFFICE_ROLES, only_user)
    queued = 0
    for code in CALENDARS:
        calendar = calendars.get(code)
        if calendar is None:
            continue
        muted = await _muted(session, code)
        users = {u.id for _, u, _ in (*operators, *offices)}
        quiet = await calendar_quiet(session, code, users)
        plan = _Plan(session, calendar, now, muted, quiet)
        queued += await plan.schools(operators)
        queued += await plan.offices(offices)
    return queued


class _Plan:
    """One calendar's nudges: to schools' operators and to the offices' own holders."""

    def __init__(  # noqa: PLR0913 - the calendar, the moment, and who wants what
        self,
        session: AsyncSession,
        calendar: Calendar,
        now: dt.datetime,
        muted: set[int],
        quiet: dict[int, QuietHours],
    ) -> None:
        self.session, self.calendar, self.now = session, calendar, now
        self.muted, self.quiet = muted, quiet
        self.letter = LETTER_OF[calendar.code]

    def _people(self, holders: Holders) -> list[tuple[User, Prefs]]:
        return [
            (u, _prefs(p, self.quiet.get(u.id)))
            for g, u, p in holders
            if g.calendar in (None, self.calendar.code) and u.id not in self.muted
        ]

    async def schools(self, operators: Holders) -> int:
        if not operators:
            return 0
        school_ids = {g.school_id for g, _, _ in operators}
        places = [
            p for p in await schools_in(self.session, DEPLOYMENT) if p.school_id in school_ids
        ]
        lines = await boards(self.session, self.calendar, places, self.now)
        queued = 0
        for place in places:
            people = self._people([h for h in operators if h[0].school_id == place.school_id])
            code = self.calendar.code
            for line in lines[place.school_id]:
                if not (line.item.tracked and self._ahead(line)):
                    continue
                button = CsCb(act=CsAct.STEP, cal=self.letter, school=place.school_id,
                              item=line.item.item).pack()  # fmt: skip
                target = Target(
                    place.name,
                    place.zone,
                    nudge_key(code, line.item.item, place.school_id),
                    button,
                )
                for user, prefs in people:
                    queued += await self._nudge(target, line, user, prefs)
        return queued

    async def offices(self, holders: Holders) -> int:
        queued = 0
        for office, mine in await my_offices_of(self.session, holders, self.calendar.code):
            people = self._people(mine)
            for line in await office_board(self.session, self.calendar, office, self.now):
                if not self._ahead(line):
                    continue
                target = self._office_target(office, line)
                for user, prefs in people:
                    queued += await self._nudge(target, line, user, prefs)
        return queued

    def _office_target(self, office: Office, line: Line) -> Target:
        button = CoCb(act=CoAct.STEP, cal=self.letter, org=office.letter, id=office.org_id,
                      item=line.item.item).pack()  # fmt: skip
        key = office_nudge_key(self.calendar.code, line.item.item, office)
        return Target(office.name, office.zone, key, button)

    def _ahead(self, line: Line) -> bool:
        due = line.item.step.due_at
        return not line.done and self.now < due <= self.now + HORIZON

    async def _nudge(self, target: Target, line: Line, user: User, prefs: Prefs) -> int:
        now, calendar = self.now, self.calendar
        zone = user.timezone or target.zone
        step = line.item.step
        local = ZoneInfo(zone)
        days: dict[dt.date, dt.datetime] = {}
        for at in reminder_instants(step, Audience.SCHOOL, local, prefs):
            if at >= now - LATE:
                days.setdefault(at.astimezone(local).date(), max(at, now))
        item = line.item
        queued = 0
        for day, at in days.items():
            context = {
                "calendar_title": (calendar.title or {}),
                "title": item.rule.title or {},
                "subject": item.work.subject if item.work else "",
                "grade": item.work.grade if item.work else 0,
                "school": target.name,
                "signed_form": item.rule.signed_form,
                "when": partial(when_line, step.due_at, step.zone, zone),
            }
            if await queue_notice_at(
                self.session, user, f"{target.key}u{user.id}:{day.isoformat()}",
                "calendar_steps/nudge.html", at, now, context=context,
                buttons=[Button("Open the step", target.button)], expires_at=step.due_at,
            ):  # fmt: skip
                queued += 1
        return queued


def _prefs(pref: ReminderPreference | None, quiet: QuietHours | None) -> Prefs:
    prefs = prefs_of(*(
        (pref.offsets, pref.quiet_start, pref.quiet_end, pref.digest_at) if pref else
        (None, None, None, None)
    ))  # fmt: skip
    return prefs if quiet is None else replace(prefs, quiet=quiet)
