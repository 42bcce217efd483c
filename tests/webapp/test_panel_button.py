"""The chat opens the panel: «Открыть панель» under /overview and the chat's menu button,
only when WEBAPP_URL is set."""

from __future__ import annotations

import pytest

from bot.app import App
from offline.api_server import FakeBotAPI
from offline.markup import keyboard_buttons
from tests.support.chat import ChatDriver
from tests.support.stage_chat import coordinator

PANEL = "https://panel.example.org/app"


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, object]:
    return {} if "without" in request.node.name else {"webapp_url": PANEL}


async def test_overview_offers_the_panel_and_sets_the_menu_button(
    app: App, fake_api: FakeBotAPI, chat: ChatDriver
) -> None:
    await coordinator(app, tg_id=chat.user_id)
    reply = await chat.send("/overview")
    assert reply.last is not None
    panel = [b for b in keyboard_buttons(reply.last.reply_markup) if b.get("web_app")]
    assert panel and panel[0]["text"] == "Открыть панель"
    assert panel[0]["web_app"] == {"url": PANEL}
    assert fake_api.core.menu_buttons[chat.user_id]["web_app"] == {"url": PANEL}


async def test_no_panel_button_without_webapp_url(
    app: App, fake_api: FakeBotAPI, chat: ChatDriver
) -> None:
    await coordinator(app, tg_id=chat.user_id)
    reply = await chat.send("/overview")
    assert reply.last is not None
    assert not [b for b in keyboard_buttons(reply.last.reply_markup) if b.get("web_app")]
    assert chat.user_id not in fake_api.core.menu_buttons
