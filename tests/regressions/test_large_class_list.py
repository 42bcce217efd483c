"""A class list of hundreds or thousands of rows is answered in time (issue 15.1).

Each row used to be found, checked and inserted on its own (about 36 ms a row), so a 300-row
list with two subjects a row outlived the console's 10 s wait for an update and nothing was
saved. The list is now registered set-based (services/curator_batch.py), and the "checking"
message shows how far it is; a list of more than a few seconds' work runs as a durable
background job (services/upload_jobs.py): the update is answered at once and the report follows.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from collections.abc import Callable

from sqlalchemy import select

from bot.app import App
from handlers.curator_upload_job import JobContext, resume_jobs
from models.uploads import UploadJob, UploadStatus
from offline.api_server import FakeBotAPI
from offline.state import RecordedCall, StoredFile
from services.curator.upload_jobs import BACKGROUND_ROWS, LEASE, MAX_ATTEMPTS
from tests.support.chat import ChatDriver
from tests.support.curator_chat import curator_of, extra_routers, registered, schools

__all__ = ["extra_routers"]  # fixtures used here (the rest come from the folder's conftest)

CONSOLE_WAIT = 10.0  # seconds the console waits for an update to be processed


def class_list(rows: int) -> bytes:
    lines = ["Фамилия;Имя;Отчество;Класс;Предметы"]
    lines += [f"Ученик{i};Имя{i};Отчество{i};7;Математика, Биология" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


async def _upload(app: App, chat: ChatDriver, school_id: int, rows: int) -> list[list[str]]:
    await chat.send("/school")
    await chat.click("Загрузить список")
    reply = await chat.upload("класс.csv", class_list(rows))
    assert reply.errors == []
    assert reply.text.startswith(f"📄 Строк: {rows} · записано: {2 * rows} · ")
    [report] = reply.documents
    edits = [c.params.get("text", "") for c in reply.calls if c.method == "editMessageText"]
    assert edits and edits[-1].endswith("100%"), edits  # the progress message ran to the end
    assert len(edits) == len(set(edits)), "no edit repeats what the message already says"
    return list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))


async def test_console_sized_list_is_answered_in_time(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 821, where.a)
    chat = make_chat(821, timeout=CONSOLE_WAIT)
    report = await _upload(app, chat, where.a, 300)
    assert len(report) == 1 + 600
    assert len(await registered(app, where.math)) == 300


async def test_thousands_of_rows_are_answered_in_time(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 822, where.a)
    chat = make_chat(822, timeout=CONSOLE_WAIT)
    report = await _upload(app, chat, where.a, 3000)
    assert {row[6] for row in report[1:]} == {"записан"}
    assert len(report) == 1 + 6000


async def _report_of(fake_api: FakeBotAPI, since: int) -> tuple[list[RecordedCall], StoredFile]:
    """Waits for the background job's report file; returns the calls made meanwhile."""
    for _wait in range(600):
        calls = fake_api.calls[since:]
        sent = [c for c in calls if c.method == "sendDocument" and c.message]
        if sent and sent[0].message and sent[0].message.document:
            return await _summary_after(fake_api, since), sent[0].message.document
        await asyncio.sleep(0.1)
    raise AssertionError("the report never arrived")


async def _summary_after(fake_api: FakeBotAPI, since: int) -> list[RecordedCall]:
    """The summary follows the file, at the chat's pace of the delivery worker (about 1/s)."""
    for _wait in range(50):
        calls = fake_api.calls[since:]
        if any(c.method == "sendMessage" and c.ok and c.params.get("text", "").startswith("📄")
               for c in calls):  # fmt: skip
            return calls
        await asyncio.sleep(0.1)
    return fake_api.calls[since:]


async def test_a_list_past_a_few_seconds_runs_in_the_background(
    app: App, make_chat: Callable[..., ChatDriver], fake_api: FakeBotAPI
) -> None:
    where = await schools(app)
    await curator_of(app, 823, where.a)
    chat = make_chat(823, timeout=CONSOLE_WAIT)
    await chat.send("/school")
    await chat.click("Загрузить список")
    since = len(fake_api.calls)
    reply = await chat.upload("класс.csv", class_list(BACKGROUND_ROWS))
    assert reply.text == "⏳ Проверяю список и записываю учеников… 0%"  # answered at once
    assert reply.documents == []
    calls, report = await _report_of(fake_api, since)
    edits = [c.params["text"] for c in calls if c.method == "editMessageText"]
    assert edits[-1].endswith("100%") and len(edits) == len(set(edits))
    refused = [(c.method, c.description) for c in calls if not c.ok]
    assert [r for r in refused if r[0] != "getUpdates"] == [], refused
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 2 * BACKGROUND_ROWS
    summary = [c.params["text"] for c in calls if c.method == "sendMessage"]
    assert summary[-1].startswith(f"📄 Строк: {BACKGROUND_ROWS} · записано: {2 * BACKGROUND_ROWS}")
    async with app.sessionmaker() as session:
        assert list(await session.scalars(select(UploadJob.status))) == [UploadStatus.DONE]


async def test_a_job_left_by_a_crash_is_taken_again(
    app: App, make_chat: Callable[..., ChatDriver], fake_api: FakeBotAPI
) -> None:
    where = await schools(app)
    curator = await curator_of(app, 824, where.a)
    chat = make_chat(824, timeout=CONSOLE_WAIT)
    shown = await chat.send("/school")  # a message of the chat stands in for the progress one
    assert shown.last is not None
    now = app.clock.now()
    async with app.sessionmaker() as session, session.begin():
        session.add(
            UploadJob(
                user_id=curator.id, school_id=where.a, chat_id=824,
                message_id=shown.last.message_id, filename="класс.csv", content=class_list(20),
                status=UploadStatus.RUNNING, attempts=1, lease_until=now - dt.timedelta(seconds=1),
                created_at=now - LEASE,
            )
        )  # fmt: skip
    since = len(fake_api.calls)
    ctx = JobContext(
        app.bot, app.sessionmaker, app.i18n, app.ref.rules, app.clock, app.deliver_due
    )
    assert await resume_jobs(ctx) == 1
    _calls, report = await _report_of(fake_api, since)
    assert report.file_name == "класс_отчёт.csv"
    assert len(await registered(app, where.math)) == 20
    assert await resume_jobs(ctx) == 0  # done: never run twice


async def test_a_job_that_keeps_crashing_is_reported_not_lost(
    app: App, make_chat: Callable[..., ChatDriver], fake_api: FakeBotAPI
) -> None:
    where = await schools(app)
    curator = await curator_of(app, 825, where.a)
    chat = make_chat(825, timeout=CONSOLE_WAIT)
    shown = await chat.send("/school")
    assert shown.last is not None
    now = app.clock.now()
    async with app.sessionmaker() as session, session.begin():
        session.add(
            UploadJob(
                user_id=curator.id, school_id=where.a, chat_id=825,
                message_id=shown.last.message_id, filename="класс.csv", content=class_list(20),
                status=UploadStatus.RUNNING, attempts=MAX_ATTEMPTS,
                lease_until=now - dt.timedelta(seconds=1), created_at=now - LEASE,
            )
        )  # fmt: skip
    since = len(fake_api.calls)
    ctx = JobContext(
        app.bot, app.sessionmaker, app.i18n, app.ref.rules, app.clock, app.deliver_due
    )
    assert await resume_jobs(ctx) == 1
    sent = [c.params["text"] for c in fake_api.calls[since:] if c.method == "sendMessage"]
    assert sent == ["Не удалось загрузить список."]
    async with app.sessionmaker() as session:
        assert list(await session.scalars(select(UploadJob.status))) == [UploadStatus.FAILED]
    assert await registered(app, where.math) == []
