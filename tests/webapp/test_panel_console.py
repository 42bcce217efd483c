"""The console's :panel prints the panel's local address signed for the current persona, and
that address opens the panel."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote

import pytest

from bot.app import App
from bot.console_panel import panel_link
from bot.console_setup import Persona
from models.enums import Role
from tests.support.console import run_script
from tests.support.stage_chat import COORDINATOR, coordinator
from tests.support.webapp import get_panel

LINK = re.compile(r"(http://127\.0\.0\.1:\d+)/app#tgWebAppData=(\S+)")


async def test_console_prints_a_signed_link_for_the_persona(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = await run_script(tmp_path, monkeypatch, ":as municipal\n:panel\n:quit\n")
    found = LINK.search(out)
    assert found, out
    fields = dict(parse_qsl(unquote(found.group(2))))
    assert json.loads(fields["user"])["id"] == 104  # the municipal persona
    assert fields["hash"]


async def test_the_printed_link_opens_the_panel(app: App, web_url: str) -> None:
    await coordinator(app)
    persona = Persona(COORDINATOR, "Игорь", Role.MUNICIPAL, "the municipal coordinator")
    found = LINK.search(panel_link(app, persona))
    assert found and found.group(1) == web_url
    status, body = await get_panel(web_url, unquote(found.group(2)))
    assert status == 200 and "data-total-events" in body
