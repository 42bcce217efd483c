"""A background job's report is queued in the outbox, not sent by the job itself (issue 15.1).

The class-list job and the collection report job called `bot.send_document` directly: a restart
between "job done" and "sent" lost the file (the job was already done), a 429 was waited out
outside the delivery worker's pace, and a second replica knew nothing of it. The file's bytes
now wait in the database with the job's outcome, and the delivery worker sends them once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import select

from bot.app import App, build_app
from handlers.curator_upload_job import JobContext, resume_jobs
from models.collections import CollectionReport
from models.outbox import DeliveryLog, Outbox, OutboxDocument, OutboxKind, OutboxStatus
from models.uploads import UploadJob, UploadStatus
from offline.api_server import FakeBotAPI
from tests.support.chat import ChatDriver
from tests.support.collections_world import COORDINATOR, open_collection, three_zone_region
from tests.support.curator_chat import curator_of, extra_routers, schools

__all__ = ["extra_routers"]
LIST = "Фамилия;Имя;Класс;Предметы\nНовиков;Никита;8;Математика\n".encode()


def _documents(fake_api: FakeBotAPI, since: int, chat_id: int) -> list[str]:
    return [
        c.message.document.file_name
        for c in fake_api.calls[since:]
        if c.method == "sendDocument" and c.ok and c.chat_id == chat_id
        and c.message is not None and c.message.document is not None
    ]  # fmt: skip


async def _sent(app: App) -> bool:
    async with app.sessionmaker() as session:
        statuses = await session.scalars(
            select(Outbox.status).where(Outbox.kind == OutboxKind.DOCUMENT)
        )
        return list(statuses) == [OutboxStatus.SENT]


async def test_the_class_list_report_waits_in_the_outbox_across_a_restart(
    app: App, make_chat: Callable[..., ChatDriver], fake_api: FakeBotAPI
) -> None:
    where = await schools(app)
    curator = await curator_of(app, 826, where.a)
    shown = await make_chat(826).send("/school")  # stands in for the progress message
    assert shown.last is not None
    now = app.clock.now()
    async with app.sessionmaker() as session, session.begin():
        session.add(
            UploadJob(
                user_id=curator.id, school_id=where.a, chat_id=826,
                message_id=shown.last.message_id, filename="класс.csv", content=LIST,
                created_at=now,
            )
        )  # fmt: skip
    since = len(fake_api.calls)
    # The job ends and its process stops before anything is delivered.
    ctx = JobContext(app.bot, app.sessionmaker, app.i18n, app.ref.rules, app.clock)
    assert await resume_jobs(ctx) == 1
    assert _documents(fake_api, since, 826) == []
    async with app.sessionmaker() as session:
        assert await session.scalar(select(UploadJob.status)) == UploadStatus.DONE
        row = await session.scalar(select(Outbox).where(Outbox.kind == OutboxKind.DOCUMENT))
        assert row is not None and row.status == OutboxStatus.PENDING
        assert (await session.get(OutboxDocument, row.id)) is not None

    restarted = await build_app(app.settings, clock=app.clock, migrate=False, ref=app.ref)
    try:
        assert await restarted.deliver_due() == 2  # the file and the summary
        assert await restarted.deliver_due() == 0
    finally:
        await restarted.close()
    assert await app.deliver_due() == 0
    assert _documents(fake_api, since, 826) == ["класс_отчёт.csv"]
    async with app.sessionmaker() as session:
        sent = await session.get(Outbox, row.id, populate_existing=True)
        assert sent is not None and sent.status == OutboxStatus.SENT
        stored = await session.get(OutboxDocument, row.id)
        assert stored is not None and stored.content is None and stored.file_id


async def test_the_collection_report_is_delivered_by_the_outbox(
    app: App,
    fake_api: FakeBotAPI,
    make_chat: Callable[..., ChatDriver],
    grant_role,  # type: ignore[no-untyped-def]
) -> None:
    await three_zone_region(app, grant_role)
    coordinator = make_chat(COORDINATOR)
    await open_collection(coordinator, "Сбор сведений о кадрах")
    since = len(fake_api.calls)
    await coordinator.click("Отчёт (.xlsx)")
    for _wait in range(200):  # the file arrives, then its outcome is committed
        if _documents(fake_api, since, COORDINATOR) and await _sent(app):
            break
        await asyncio.sleep(0.05)
    assert _documents(fake_api, since, COORDINATOR) == ["Сбор сведений о кадрах.xlsx"]
    [call] = [c for c in fake_api.calls[since:] if c.method == "sendDocument"]
    assert call.message is not None
    async with app.sessionmaker() as session:
        assert await session.scalar(select(CollectionReport.status)) == UploadStatus.DONE
        row = await session.scalar(select(Outbox).where(Outbox.kind == OutboxKind.DOCUMENT))
        assert row is not None and row.status == OutboxStatus.SENT
        assert row.tg_message_id == call.message.message_id
        logged = select(DeliveryLog.outcome).where(DeliveryLog.outbox_id == row.id)
        assert list(await session.scalars(logged)) == ["sent"]
    assert await app.deliver_due() == 0
    assert len(_documents(fake_api, since, COORDINATOR)) == 1
