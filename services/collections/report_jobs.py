"""Reports asked for by coordinators: a durable job each, built in the background.

Claimed with a lease like the class-list jobs (services/curator/upload_jobs.py): a replica that
dies mid-build leaves the job `running` until its lease ends, and the next claim takes it again;
after `MAX_ATTEMPTS` the job fails and the coordinator is told, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.collections import CollectionReport
from models.people import RoleGrant, User
from models.uploads import UploadStatus as JobStatus
from services.collections.access import watched_collection
from services.collections.monitor import OrgLine, all_lines
from services.people.identity import Identity

LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 3


async def queue_report(
    session: AsyncSession, ident: Identity, collection_id: int, chat_id: int, now: dt.datetime
) -> int:
    await watched_collection(session, ident, collection_id)  # refused before anything is queued
    job = CollectionReport(
        collection_id=collection_id, user_id=ident.user.id, chat_id=chat_id, created_at=now
    )
    session.add(job)
    await session.flush()
    return job.id


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    expired = and_(
        CollectionReport.status == JobStatus.RUNNING, CollectionReport.lease_until < now
    )
    return or_(CollectionReport.status == JobStatus.PENDING, expired)


async def claimable_ids(session: AsyncSession, now: dt.datetime) -> list[int]:
    query = select(CollectionReport.id).where(_claimable(now)).order_by(CollectionReport.id)
    return list(await session.scalars(query))


@dataclass(frozen=True)
class ClaimedReport:
    id: int
    collection_id: int
    user_id: int
    chat_id: int
    attempts: int
    locale: str | None


async def claim(session: AsyncSession, job_id: int, now: dt.datetime) -> ClaimedReport | None:
    """The job, leased to the caller; None when another claimer has it."""
    claimed = await session.execute(
        update(CollectionReport)
        .where(CollectionReport.id == job_id, _claimable(now))
        .values(
            status=JobStatus.RUNNING,
            lease_until=now + LEASE,
            attempts=CollectionReport.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    job = await session.get(CollectionReport, job_id, populate_existing=True)
    assert job is not None  # just claimed in this transaction
    user = await session.get(User, job.user_id)
    locale = user.locale if user is not None else None
    return ClaimedReport(job.id, job.collection_id, job.user_id, job.chat_id, job.attempts, locale)


async def finish(session: AsyncSession, job_id: int, status: JobStatus, now: dt.datetime) -> None:
    await session.execute(
        update(CollectionReport)
        .where(CollectionReport.id == job_id)
        .values(status=status, finished_at=now, lease_until=None)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class ReportData:
    title: str
    lines: list[OrgLine]


async def report_data(session: AsyncSession, job: ClaimedReport) -> ReportData:
    """What the report holds, as the coordinator may see it now (a revoked role stops it)."""
    user = await session.get(User, job.user_id)
    assert user is not None  # the job row is deleted with its user
    grants = await session.scalars(
        select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.revoked_at.is_(None))
    )
    ident = Identity(user=user, grants=tuple(grants))
    collection, scope = await watched_collection(session, ident, job.collection_id)
    return ReportData(collection.title, await all_lines(session, collection.id, scope))
