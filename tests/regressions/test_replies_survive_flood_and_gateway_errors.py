"""Replies wait out Telegram's 429 and retry its passing 5xx; neither reaches the person (15.9).

Only the delivery worker honoured `retry_after`: a reply that met a 429 was logged with a
traceback and the person got «Что-то пошло не так…», sent before the wait had passed. Two 502
pages from a proxy (HTML, which aiogram reports as ClientDecodeError) lost a /help reply, and
the apology hit the second one.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.app import App
from calendars.clock import FixedClock
from offline.api_server import FakeBotAPI
from offline.state import RecordedCall
from tests.support.catalog_chat import enrol
from tests.support.chat import ChatDriver

APOLOGY = "Что-то пошло не так"


@pytest.fixture
def extra_routers() -> list[Router]:
    failing = Router(name="failing")

    @failing.message(Command("boom"))
    async def boom(message: Message) -> None:
        raise RuntimeError("a handler that fails on its own")

    return [failing]


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def to_chat(calls: list[RecordedCall], method: str) -> list[RecordedCall]:
    return [c for c in calls if c.method == method]


async def test_a_reply_waits_for_retry_after(
    app: App, chat: ChatDriver, fake_api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    fake_api.inject("sendMessage", 429, retry_after=2, chat_id=chat.user_id)
    reply = await chat.send("/help")
    refused, sent = to_chat(reply.calls, "sendMessage")
    assert (refused.status, sent.ok) == (429, True)
    after = [
        c for c in reply.calls if c.timestamp > refused.timestamp and c.method != "getUpdates"
    ]
    assert after == [sent]  # no apology, nothing else in between
    assert sent.timestamp - refused.timestamp >= 2  # nothing went out before the wait passed
    assert "/start" in reply.text and APOLOGY not in reply.text
    assert errors(caplog) == []


async def test_a_button_press_waits_for_both_its_edit_and_its_answer(
    app: App, chat: ChatDriver, fake_api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    await chat.send("/start")
    fake_api.inject("editMessageText", 429, retry_after=1)
    fake_api.inject("answerCallbackQuery", 429, retry_after=1)
    reply = await chat.click("Русский")
    edits = to_chat(reply.calls, "editMessageText")
    answers = to_chat(reply.calls, "answerCallbackQuery")
    assert [c.status for c in edits] == [429, 200]
    assert [c.status for c in answers] == [429, 200]
    assert edits[1].timestamp - edits[0].timestamp >= 1
    assert answers[1].timestamp - answers[0].timestamp >= 1
    assert "Я ученик" in reply.buttons
    assert errors(caplog) == []


async def test_two_gateway_pages_delay_help_but_do_not_lose_it(
    app: App, chat: ChatDriver, fake_api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    fake_api.inject("sendMessage", "gateway", times=2)
    reply = await chat.send("/help")
    assert [c.status for c in to_chat(reply.calls, "sendMessage")] == [502, 502, 200]
    assert "/start" in reply.text
    assert errors(caplog) == []


async def test_the_apology_itself_gets_past_gateway_pages(
    app: App, chat: ChatDriver, fake_api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    fake_api.inject("sendMessage", "gateway", times=2)
    reply = await chat.send("/boom")
    assert [c.status for c in to_chat(reply.calls, "sendMessage")] == [502, 502, 200]
    assert reply.text.startswith(APOLOGY)
    assert errors(caplog) == ["update failed"]  # the handler's own failure, and only that


async def test_a_wait_past_the_bound_goes_to_the_outbox_never_shown_as_an_error(
    app: App,
    chat: ChatDriver,
    fake_api: FakeBotAPI,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await enrol(app, chat.user_id)  # a known person: the outbox addresses people
    fake_api.inject("sendMessage", 429, retry_after=600, chat_id=chat.user_id)
    reply = await chat.send("/help")
    assert [c.status for c in to_chat(reply.calls, "sendMessage")] == [429]
    assert reply.messages == []
    assert errors(caplog) == []
    assert await app.deliver_due() == 0  # not before the wait Telegram asked for
    clock.advance(dt.timedelta(seconds=601))
    since = len(fake_api.calls)
    assert await app.deliver_due() == 1
    [later] = [c for c in fake_api.calls[since:] if c.method == "sendMessage"]
    assert later.ok and "/start" in str(later.params["text"])


async def test_a_document_waits_too(
    app: App, chat: ChatDriver, fake_api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    fake_api.inject("sendDocument", 429, retry_after=1)
    reply = await chat.send("/calendar")
    assert [c.status for c in to_chat(reply.calls, "sendDocument")] == [429, 200]
    assert [d.file_name.endswith(".ics") for d in reply.documents] == [True]
    assert errors(caplog) == []
