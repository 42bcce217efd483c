"""Reminder use cases: what is due for me, my reminder settings, mutes and "mark done".

Every change re-plans the person's pending reminders in the same transaction, so a new quiet
hour or a mute applies to what is already queued.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.schema import Calendar
from models.olympiad import OlympiadEvent, Subject
from models.outbox import Mute, ReminderPreference
from reminders.due import DueItem, due_items
from reminders.mutes import done_target, event_target, step_target
from reminders.planner import replan_user
from reminders.prefs import (
    DEFAULT_PREFS,
    DIGEST_CHOICES,
    OFFSET_CHOICES,
    QUIET_CHOICES,
    Prefs,
    prefs_from_columns,
    time_to_minutes,
)
from reminders.sync import SyncStats
from reminders.texts import CATEGORIES, calendar_mute_label, level_label, step_label
from services.calendar_steps.due import calendar_due
from services.errors import Refused

CHOICE_MINUTES = tuple(int(o.total_seconds() // 60) for o in OFFSET_CHOICES)


@dataclass(frozen=True)
class Context:
    """Who acts, with what rules, when: what every change needs to re-plan."""

    user_id: int
    rules: Calendar
    now: dt.datetime
    # Every calendar of the deployment, for /due and the .ics (None: the olympiad's alone).
    calendars: Mapping[str, Calendar] | None = None
    default_zone: str = "Europe/Moscow"  # the deployment's, for people with no zone of their own


async def preference(session: AsyncSession, user_id: int) -> ReminderPreference | None:
    return await session.get(ReminderPreference, user_id)


async def _editable(session: AsyncSession, ctx: Context) -> ReminderPreference:
    row = await preference(session, ctx.user_id)
    if row is None:
        row = ReminderPreference(user_id=ctx.user_id, quiet_start=22 * 60, quiet_end=8 * 60)
        session.add(row)
    row.updated_at = ctx.now
    return row


async def _replan(session: AsyncSession, ctx: Context) -> SyncStats:
    await session.flush()
    return await replan_user(session, ctx.user_id, ctx.rules, ctx.now)


async def due(session: AsyncSession, ctx: Context) -> list[DueItem]:
    """Everything ahead that concerns me, whichever calendar set it, soonest first."""
    items = await due_items(session, ctx.user_id, ctx.rules, ctx.now)
    if ctx.calendars:
        items += await calendar_due(session, ctx.user_id, ctx.calendars, ctx.now)
    return sorted(items, key=lambda item: (item.step.due_at, item.uid))


async def toggle_offset(session: AsyncSession, ctx: Context, minutes: int) -> None:
    """Adds or removes one reminder offset; the first change starts from the role defaults'
    common choice of a week and a day."""
    if minutes not in CHOICE_MINUTES:
        raise Refused("reminder_bad_choice")
    row = await _editable(session, ctx)
    chosen = set(row.offsets if row.offsets is not None else (7 * 24 * 60, 24 * 60))
    chosen ^= {minutes}
    if not chosen:
        raise Refused("reminder_keep_one_offset")
    row.offsets = sorted(chosen, reverse=True)
    await _replan(session, ctx)


async def reset_offsets(session: AsyncSession, ctx: Context) -> None:
    row = await _editable(session, ctx)
    row.offsets = None
    await _replan(session, ctx)


async def set_quiet(session: AsyncSession, ctx: Context, index: int) -> None:
    if not 0 <= index < len(QUIET_CHOICES):
        raise Refused("reminder_bad_choice")
    row = await _editable(session, ctx)
    quiet = QUIET_CHOICES[index]
    row.quiet_start, row.quiet_end = time_to_minutes(quiet.start), time_to_minutes(quiet.end)
    await _replan(session, ctx)


async def set_digest(session: AsyncSession, ctx: Context, index: int) -> None:
    """`index` into the digest times; -1 switches the daily digest off."""
    if not -1 <= index < len(DIGEST_CHOICES):
        raise Refused("reminder_bad_choice")
    row = await _editable(session, ctx)
    row.digest_at = None if index < 0 else time_to_minutes(DIGEST_CHOICES[index])
    await _replan(session, ctx)


async def mutes(session: AsyncSession, user_id: int) -> list[Mute]:
    query = select(Mute).where(Mute.user_id == user_id).order_by(Mute.created_at, Mute.id)
    return list(await session.scalars(query))


async def _add_mute(session: AsyncSession, ctx: Context, target: str) -> None:
    existing = await session.scalar(
        select(Mute.id).where(Mute.user_id == ctx.user_id, Mute.target == target)
    )
    if existing is None:
        session.add(Mute(user_id=ctx.user_id, target=target, created_at=ctx.now))
    await _replan(session, ctx)


async def mute_event(session: AsyncSession, ctx: Context, event_id: int) -> None:
    await _add_mute(session, ctx, event_target(event_id))


async def mark_done(session: AsyncSession, ctx: Context, event_id: int, step: str) -> None:
    """No more reminders of this step of this event for me."""
    if not step or len(step) > 40:  # noqa: PLR2004 - the rules schema's limit on step codes
        raise Refused("reminder_bad_choice")
    await _add_mute(session, ctx, done_target(event_id, step))


async def toggle_category(session: AsyncSession, ctx: Context, index: int) -> bool:
    """Mutes or unmutes a category of steps everywhere; True when it is now muted."""
    if not 0 <= index < len(CATEGORIES):
        raise Refused("reminder_bad_choice")
    target = step_target(CATEGORIES[index])
    removed = await session.execute(
        delete(Mute).where(Mute.user_id == ctx.user_id, Mute.target == target)
    )
    if removed.rowcount:  # type: ignore[attr-defined]
        await _replan(session, ctx)
        return False
    await _add_mute(session, ctx, target)
    return True


async def unmute(session: AsyncSession, ctx: Context, mute_id: int) -> None:
    mute = await session.get(Mute, mute_id)
    if mute is None or mute.user_id != ctx.user_id:
        raise Refused("reminder_bad_choice")
    await session.delete(mute)
    await _replan(session, ctx)


def current(row: ReminderPreference | None) -> Prefs:
    if row is None:
        return DEFAULT_PREFS
    return prefs_from_columns(row.offsets, row.quiet_start, row.quiet_end, row.digest_at)


async def mute_names(session: AsyncSession, found: list[Mute], locale: str) -> dict[int, str]:
    """Readable names of event mutes and "done" marks (categories are named by the caller)."""
    # A muted calendar is named by itself; event mutes and "done" marks by their event.
    names = {
        m.id: calendar_mute_label(code)
        for m in found
        if (code := m.target.removeprefix("cal:")) != m.target
    }
    parsed = {m.id: m.target.split(":") for m in found if m.target.startswith(("event:", "done:"))}
    ids = {int(parts[1]) for parts in parsed.values()}
    name = Subject.name_en if locale == "en" else Subject.name_ru
    rows = await session.execute(
        select(OlympiadEvent.id, OlympiadEvent.level, name)
        .join(Subject, OlympiadEvent.subject_id == Subject.id)
        .where(OlympiadEvent.id.in_(ids))
    )
    events = {event_id: f"{subject}, {level_label(level)}" for event_id, level, subject in rows}
    for mute_id, parts in parsed.items():
        event = events.get(int(parts[1]))
        if event is not None:
            step = f"{step_label(parts[2])}: " if parts[0] == "done" else ""
            names[mute_id] = step + event
    return names
