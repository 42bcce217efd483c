"""Class lists too large to import within one update: queued as a durable job and claimed.

A job is claimed with a lease; a replica that dies mid-import leaves the job `running` with its
lease expiring, and the next claim takes it again. The import runs in one transaction, so a
crash leaves nothing half-done and running it again is safe. After `MAX_ATTEMPTS` a job is
failed and its curator is told, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Level
from models.people import RoleGrant, User
from models.uploads import UploadJob, UploadStatus
from services.authz import Action
from services.curator.school import open_school
from services.people.identity import Identity

LEASE = dt.timedelta(minutes=5)  # far beyond the 20 s a 20,000-row list takes
MAX_ATTEMPTS = 3
BACKGROUND_ROWS = 5_000  # from this many rows a list runs in the background


async def queue_upload(
    session: AsyncSession,
    ident: Identity,
    school_id: int,
    filename: str,
    content: bytes,
    where: tuple[int, int],
    now: dt.datetime,
) -> int:
    """Stores the list to import; `where` is the (chat, message) that shows its progress."""
    await open_school(session, ident, school_id, Action.REGISTER_STUDENTS, Level.SCHOOL)
    job = UploadJob(
        user_id=ident.user.id,
        school_id=school_id,
        chat_id=where[0],
        message_id=where[1],
        filename=filename[:200],
        content=content,
        created_at=now,
    )
    session.add(job)
    await session.flush()
    return job.id


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    expired = and_(UploadJob.status == UploadStatus.RUNNING, UploadJob.lease_until < now)
    return or_(UploadJob.status == UploadStatus.PENDING, expired)


async def claimable_ids(session: AsyncSession, now: dt.datetime) -> list[int]:
    rows = await session.scalars(
        select(UploadJob.id).where(_claimable(now)).order_by(UploadJob.id)
    )
    return list(rows)


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    user_id: int
    school_id: int
    chat_id: int
    message_id: int
    filename: str
    content: bytes
    attempts: int
    locale: str | None  # the curator's language, for the progress, report and summary


async def claim(session: AsyncSession, job_id: int, now: dt.datetime) -> ClaimedJob | None:
    """The job, now leased to the caller; None when another claimer has it (the UPDATE's
    condition makes two claims of one job impossible on any database)."""
    claimed = await session.execute(
        update(UploadJob)
        .where(UploadJob.id == job_id, _claimable(now))
        .values(
            status=UploadStatus.RUNNING, lease_until=now + LEASE, attempts=UploadJob.attempts + 1
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    job = await session.get(UploadJob, job_id, populate_existing=True)
    assert job is not None  # just claimed in this transaction
    user = await session.get(User, job.user_id)
    return ClaimedJob(
        id=job.id,
        user_id=job.user_id,
        school_id=job.school_id,
        chat_id=job.chat_id,
        message_id=job.message_id,
        filename=job.filename,
        content=job.content or b"",
        attempts=job.attempts,
        locale=user.locale if user is not None else None,
    )


async def finish(
    session: AsyncSession, job_id: int, status: UploadStatus, now: dt.datetime
) -> None:
    await session.execute(
        update(UploadJob)
        .where(UploadJob.id == job_id)
        .values(status=status, finished_at=now, lease_until=None, content=None)
        .execution_options(synchronize_session=False)
    )


async def curator_of(session: AsyncSession, user_id: int) -> Identity:
    """The job's curator with the grants they hold now: a revoked grant stops the import."""
    user = await session.get(User, user_id)
    assert user is not None  # the job row is deleted with its user
    grants = await session.scalars(
        select(RoleGrant).where(RoleGrant.user_id == user_id, RoleGrant.revoked_at.is_(None))
    )
    return Identity(user=user, grants=tuple(grants))
