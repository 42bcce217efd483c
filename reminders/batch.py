"""Turning a claimed batch into messages: drop what must not go, evaluate reports, compose.

Dropped (with a log line and a delivery_log row): people without Telegram or unreachable, and
rows past their expiry — a reminder whose deadline passed while the bot was down is noise, one
whose deadline is still ahead is sent late. Reports that find nothing are dropped too; reports
that find lagging schools queue a nudge to their curators. Rows that cannot be rendered, or
that were claimed over and over without any outcome (a send that kills the process every
time), fail instead of blocking the queue.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.consent_rule import CONSENT_DUE
from models.olympiad import OlympiadEvent, Subject
from models.outbox import DeliveryOutcome, Outbox, OutboxDocument, OutboxKind, OutboxStatus
from reminders.checks import Finding, evaluate
from reminders.compose import Outgoing, compose
from reminders.consent_check import consent_finding
from reminders.nudges import enqueue_nudges
from reminders.outcomes import finish_rows
from reminders.people import Person, people
from reminders.views import EventInfo

log = logging.getLogger(__name__)
MAX_CLAIMS = 10
Verdict = tuple[OutboxStatus, str]  # what to do with a row that is not sent, and why


@dataclass(frozen=True)
class Locales:
    default_locale: str
    default_zone: str


async def _events(session: AsyncSession, ids: set[int]) -> dict[int, EventInfo]:
    if not ids:
        return {}
    rows = await session.execute(
        select(OlympiadEvent.id, OlympiadEvent.level, Subject.name_ru, Subject.name_en)
        .join(Subject, OlympiadEvent.subject_id == Subject.id)
        .where(OlympiadEvent.id.in_(ids))
    )
    return {row[0]: EventInfo(row[1], row[2], row[3]) for row in rows}


def _why_not(
    row: Outbox, person: Person | None, now: dt.datetime
) -> tuple[OutboxStatus, str] | None:
    if person is None or person.chat_id is None:
        return OutboxStatus.DROPPED, "no Telegram account"
    if person.unreachable_since is not None:
        return OutboxStatus.DROPPED, "unreachable"
    if row.expires_at is not None and row.expires_at <= now:
        return OutboxStatus.DROPPED, "too late: its moment passed"
    if row.attempts > MAX_CLAIMS:  # it keeps failing before any answer: stop trying
        return OutboxStatus.FAILED, f"claimed {row.attempts} times without an outcome"
    return None


async def prepare(
    session: AsyncSession, ids: Sequence[int], now: dt.datetime, i18n: I18n, defaults: Locales
) -> tuple[list[Outgoing], int]:
    """The messages for claimed rows, and how many rows were set aside (in the same commit)."""
    query = select(Outbox).where(Outbox.id.in_(ids)).order_by(Outbox.id)
    rows = list(await session.scalars(query))
    persons = await people(
        session,
        {r.user_id for r in rows},
        default_locale=defaults.default_locale,
        default_zone=defaults.default_zone,
    )
    events = await _events(session, {r.event_id for r in rows if r.event_id is not None})
    keep: dict[int, list[Outbox]] = defaultdict(list)
    findings: dict[int, Finding] = {}
    aside = 0
    for row in rows:
        person = persons.get(row.user_id)
        verdict = _why_not(row, person, now)
        checked = row.kind == OutboxKind.CHECK or row.step == CONSENT_DUE
        if verdict is None and person is not None and checked:
            finding = await _check(session, row, person.locale, now)
            if finding is None:
                verdict = OutboxStatus.DROPPED, "nothing to report"
            else:
                findings[row.id] = finding
        if verdict is None:
            keep[row.user_id].append(row)
            continue
        chat_id = person.chat_id if person is not None else None
        await _set_aside(session, row.user_id, chat_id, [row], verdict, now)
        aside += 1
    documents = await _documents(session, keep.values())
    messages = []
    for user_id, kept in keep.items():
        try:
            messages += compose(persons[user_id], kept, events, findings, i18n, documents)
        except Exception as exc:  # a message that cannot be rendered must not stop the others
            log.exception("cannot render rows %s", [r.id for r in kept])
            verdict = OutboxStatus.FAILED, f"render: {type(exc).__name__}: {exc}"
            await _set_aside(session, user_id, persons[user_id].chat_id, kept, verdict, now)
            aside += len(kept)
    return messages, aside


async def _documents(
    session: AsyncSession, kept: Iterable[list[Outbox]]
) -> dict[int, OutboxDocument]:
    ids = [r.id for rows in kept for r in rows if r.kind == OutboxKind.DOCUMENT]
    if not ids:
        return {}
    found = await session.scalars(select(OutboxDocument).where(OutboxDocument.outbox_id.in_(ids)))
    return {d.outbox_id: d for d in found}


async def _set_aside(
    session: AsyncSession,
    user_id: int,
    chat_id: int | None,
    rows: Sequence[Outbox],
    verdict: Verdict,
    now: dt.datetime,
) -> None:
    status, reason = verdict
    outcome = DeliveryOutcome.FAILED if status == OutboxStatus.FAILED else DeliveryOutcome.DROPPED
    for row in rows:
        # Whether a consent reminder was dropped tells whether the consent was given: not logged.
        step = "-" if row.step == CONSENT_DUE else row.step
        log.info("outbox row %s (%s %s) %s: %s", row.id, row.kind, step, status, reason)
    await finish_rows(session, user_id, chat_id, [r.id for r in rows], status, outcome, reason,
                      now)  # fmt: skip


async def _check(
    session: AsyncSession, row: Outbox, locale: str, now: dt.datetime
) -> Finding | None:
    if row.step == CONSENT_DUE:
        return await consent_finding(session, row)
    event = None if row.event_id is None else await session.get(OlympiadEvent, row.event_id)
    finding = await evaluate(session, row, event, locale)
    if finding is not None and finding.lagging_schools and event is not None:
        await enqueue_nudges(session, row, finding.lagging_schools, now)
    return finding
