"""A class list of hundreds or thousands of rows is answered in time (issue 15.1).

Each row used to be found, checked and inserted on its own (about 36 ms a row), so a 300-row
list with two subjects a row outlived the console's 10 s wait for an update and nothing was
saved. The list is now registered set-based (services/curator_batch.py), and the "checking"
message shows how far it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from bot.app import App
from tests.conversation.conftest import app, clock, fake_api, make_chat
from tests.conversation.test_curator_support import curator_of, extra_routers, registered, schools
from tests.support.chat import ChatDriver

# The conversation tests' fixtures: the real dispatcher against the fake Bot API server.
__all__ = ["app", "clock", "extra_routers", "fake_api", "make_chat"]

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
