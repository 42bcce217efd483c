"""Documents through the outbox on SQLite and PostgreSQL, against the strict fake Bot API: the
background jobs' files wait in the database (no local file, no process memory) until the
delivery worker sends them once, with the same 429 handling as texts, even when the process
that queued or claimed them is gone."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.types import BufferedInputFile
from aiogram.utils.i18n import I18n
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import build_i18n
from calendars.clock import FixedClock
from calendars.schema import MOSCOW_TZ
from handlers.collections_jobs import run_report
from handlers.curator_upload_job import JobContext, run_job
from models.collections import Collection
from models.db import create_engine, create_sessionmaker
from models.outbox import DeliveryLog, Outbox, OutboxDocument, OutboxKind, OutboxStatus
from models.uploads import UploadJob, UploadStatus
from offline.api_server import FakeBotAPI
from reminders.notices import Attachment, Button, queue_notices_with_file
from reminders.outbox import claim_batch, enqueue_document
from reminders.views import when_line
from reminders.worker import WorkerConfig, drain_once
from services.collections import report_jobs
from services.collections.opening import Draft, open_collection
from tests.support.stage_world import NOW, REF, StageWorld, world

__all__ = ["world"]
CURATOR_TG, REGIONAL_TG = 101, 301
QUICK = WorkerConfig(per_chat_interval=0, holder="documents-test")  # one process restarted
LIST = (
    "Фамилия;Имя;Класс;Предметы\nНовиков;Никита;8;Математика\nПетрова;Анна;9;Математика, Алхимия\n"
).encode()


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return build_i18n("ru")


@pytest.fixture
async def server() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as fake:
        fake.add_user(CURATOR_TG, "Куратор")
        fake.add_user(REGIONAL_TG, "Координатор")
        yield fake


@pytest.fixture
async def bot(server: FakeBotAPI) -> AsyncIterator[Bot]:
    bot = server.make_bot(session_timeout=5)
    yield bot
    await bot.session.close()


async def _restarted_drain(url: str, server: FakeBotAPI, i18n: I18n, clock: FixedClock) -> int:
    """A new process: its own engine, bot and worker on the same database."""
    engine = create_engine(url)
    bot = server.make_bot(session_timeout=5)
    try:
        stats = await drain_once(bot, create_sessionmaker(engine), clock, REF.rules, i18n,
                                 config=QUICK)  # fmt: skip
    finally:
        await bot.session.close()
        await engine.dispose()
    return stats.sent


def _documents(server: FakeBotAPI, chat_id: int) -> list[str]:
    return [
        m.document.file_name
        for m in server.bot_messages(chat_id)
        if m.kind == "document" and m.document is not None
    ]


async def test_the_class_list_report_is_queued_and_sent_once_after_a_restart(  # noqa: PLR0913
    sessionmaker: async_sessionmaker[AsyncSession],
    schema_url: str,
    world: StageWorld,
    server: FakeBotAPI,
    bot: Bot,
    i18n: I18n,
) -> None:
    clock = FixedClock(NOW)
    progress = await bot.send_message(CURATOR_TG, "⏳ 0%")
    curator = world.staff["curator"].user
    async with sessionmaker() as session, session.begin():
        job = UploadJob(
            user_id=curator.id, school_id=world.schools[0], chat_id=CURATOR_TG,
            message_id=progress.message_id, filename="класс.csv", content=LIST, created_at=NOW,
        )  # fmt: skip
        session.add(job)
    # The job runs and the process stops before any delivery (no `deliver`).
    ctx = JobContext(bot, sessionmaker, i18n, REF.rules, clock)
    assert await run_job(ctx, job.id)
    assert _documents(server, CURATOR_TG) == []
    async with sessionmaker() as session:
        assert await session.scalar(select(UploadJob.status)) == UploadStatus.DONE
        row = await session.scalar(select(Outbox).where(Outbox.kind == OutboxKind.DOCUMENT))
        assert row is not None and row.status == OutboxStatus.PENDING
        stored = await session.get(OutboxDocument, row.id)
        assert stored is not None and stored.content and stored.file_id is None

    assert await _restarted_drain(schema_url, server, i18n, clock) == 2  # the file, the summary
    assert await _restarted_drain(schema_url, server, i18n, clock) == 0
    assert _documents(server, CURATOR_TG) == ["класс_отчёт.csv"]
    [document] = [m for m in server.bot_messages(CURATOR_TG) if m.document is not None]
    assert document.document is not None
    assert "Алхимия" in document.document.content.decode("utf-8-sig")
    assert server.bot_messages(CURATOR_TG)[-1].text.startswith("📄 Строк: 2")
    async with sessionmaker() as session:
        stored = await session.get(OutboxDocument, row.id, populate_existing=True)
        assert stored is not None
        # Telegram has the file now: its id is kept, the bytes are dropped.
        assert stored.content is None and stored.file_id == document.document.file_id


async def test_the_collection_report_claimed_by_a_dead_worker_is_sent_once(  # noqa: PLR0913
    sessionmaker: async_sessionmaker[AsyncSession],
    schema_url: str,
    world: StageWorld,
    server: FakeBotAPI,
    bot: Bot,
    i18n: I18n,
) -> None:
    clock = FixedClock(NOW)
    regional = world.staff["regional"]
    draft = Draft("Сбор расписания", NOW, NOW + dt.timedelta(days=5))
    async with sessionmaker() as session, session.begin():
        with i18n.context():
            collection = await open_collection(session, regional, draft, NOW, "Asia/Sakhalin")
        job_id = await report_jobs.queue_report(session, regional, collection.id, REGIONAL_TG, NOW)
    assert await run_report(bot, sessionmaker, i18n, clock, job_id)
    assert _documents(server, REGIONAL_TG) == []
    # A worker claimed the row and died before sending it.
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(Outbox)
            .where(Outbox.kind != OutboxKind.DOCUMENT)
            .values(status=OutboxStatus.CANCELLED)
        )
        claimed = await claim_batch(session, NOW, users=10, lease=dt.timedelta(minutes=5))
    assert len(claimed) == 1

    assert await _restarted_drain(schema_url, server, i18n, clock) == 1
    assert await _restarted_drain(schema_url, server, i18n, clock) == 0
    assert _documents(server, REGIONAL_TG) == ["Сбор расписания.xlsx"]
    [message] = server.bot_messages(REGIONAL_TG)
    assert "Отчёт «Сбор расписания» готов" in message.text  # the localized caption
    async with sessionmaker() as session:
        assert await session.scalar(select(Outbox.status).where(Outbox.id == claimed[0])) == (
            OutboxStatus.SENT
        )


async def test_a_document_waits_out_a_429_like_a_text(
    sessionmaker: async_sessionmaker[AsyncSession],
    world: StageWorld,
    server: FakeBotAPI,
    bot: Bot,
    i18n: I18n,
) -> None:
    clock = FixedClock(NOW)
    curator = world.staff["curator"].user
    async with sessionmaker() as session, session.begin():
        await enqueue_document(session, curator.id, "doc", "a.csv", NOW, content=b"a;b\n",
                               caption="<b>Файл</b>")  # fmt: skip
    server.inject("sendDocument", 429, retry_after=7)
    stats = await drain_once(bot, sessionmaker, clock, REF.rules, i18n, config=QUICK)
    assert (stats.sent, stats.retried) == (0, 1)
    async with sessionmaker() as session:
        row = await session.scalar(select(Outbox).where(Outbox.key == "msg:doc"))
        assert row is not None and row.status == OutboxStatus.PENDING
        assert row.next_attempt_at == NOW + dt.timedelta(seconds=7) and row.attempts == 0
    clock.set(NOW + dt.timedelta(seconds=7))
    stats = await drain_once(bot, sessionmaker, clock, REF.rules, i18n, config=QUICK)
    assert stats.sent == 1
    [message] = server.bot_messages(CURATOR_TG)
    assert message.document is not None and message.document.content == b"a;b\n"
    assert message.text == "Файл" and message.html == "<b>Файл</b>"
    async with sessionmaker() as session:
        logged = list(await session.scalars(select(DeliveryLog.outcome).order_by(DeliveryLog.id)))
    assert logged == ["rate_limited", "sent"]


async def test_a_caption_longer_than_telegram_allows_is_refused_when_queued(
    session: AsyncSession, world: StageWorld
) -> None:
    async with session.begin():
        with pytest.raises(ValueError, match="1024"):
            await enqueue_document(session, world.staff["curator"].user.id, "long", "a.csv",
                                   NOW, content=b"x", caption="я" * 1025)  # fmt: skip


async def test_a_collection_template_goes_with_its_opening_notice(
    sessionmaker: async_sessionmaker[AsyncSession],
    world: StageWorld,
    server: FakeBotAPI,
    bot: Bot,
    i18n: I18n,
) -> None:
    uploaded = await bot.send_document(
        REGIONAL_TG, BufferedInputFile(b"PK template", "форма.xlsx")
    )
    assert uploaded.document is not None
    template = uploaded.document.file_id
    draft = Draft("Сбор кадров", NOW, NOW + dt.timedelta(days=5), template_file_id=template,
                  template_name="форма.xlsx")  # fmt: skip
    async with sessionmaker() as session, session.begin():
        with i18n.context():
            await open_collection(session, world.staff["regional"], draft, NOW, "Asia/Sakhalin")
    assert server.bot_messages(CURATOR_TG) == []  # queued, not sent by the opening
    stats = await drain_once(bot, sessionmaker, FixedClock(NOW), REF.rules, i18n, config=QUICK)
    assert stats.sent == 1  # the curator of the world's one school with a responsible person
    [call] = [c for c in server.calls if c.method == "sendDocument" and c.chat_id == CURATOR_TG]
    assert call.params["document"] == template
    [notice] = server.bot_messages(CURATOR_TG)
    assert notice.document is not None and notice.document.content == b"PK template"
    assert "Сбор данных: Сбор кадров" in notice.text and "Файл шаблона приложен." in notice.text
    assert "Открыть сбор" in str(notice.reply_markup)


async def test_a_notice_too_long_for_a_caption_goes_before_its_file(
    session: AsyncSession, world: StageWorld, i18n: I18n
) -> None:
    curator = world.staff["curator"].user
    closes = NOW + dt.timedelta(days=5)
    collection = Collection(title="Сбор " + "очень " * 170, opens_at=NOW, closes_at=closes,
                            template_file_id="file-id")  # fmt: skip
    context = {"collection": collection, "zone": "Asia/Sakhalin", "when": when_line,
               "moscow": MOSCOW_TZ}  # fmt: skip
    async with session.begin():
        with i18n.context():
            queued = await queue_notices_with_file(
                session, [curator], "long", "collections/opened.html", NOW,
                Attachment("file-id", "форма.xlsx"), context=context,
                buttons=[Button("Open the collection", "dc:m:1:1::0:0")],
            )  # fmt: skip
        rows = list(await session.scalars(select(Outbox).order_by(Outbox.id)))
        stored = await session.get(OutboxDocument, rows[-1].id)
    assert queued == 1
    assert [(r.kind, bool(r.text), bool(r.buttons)) for r in rows] == [
        (OutboxKind.MESSAGE, True, True),  # the notice with its buttons
        (OutboxKind.DOCUMENT, False, False),  # then the file
    ]
    assert stored is not None and (stored.file_id, stored.content) == ("file-id", None)
