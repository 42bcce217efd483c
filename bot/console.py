"""The offline console chat: the real bot, the demo data, and you typing in a terminal.

The bot talks to an in-process copy of the strict fake Bot API server, so everything it would
send to Telegram is checked the same way and shown here as text. Lines starting with `:` are
console commands (`:help`); a bare number presses that inline button of the bot's last message,
unless that message has no such button or the bot is waiting for typed text (a score, a code).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO

from pydantic import AnyHttpUrl, SecretStr

from bot.app import App, build_app
from bot.clocks import clock_for
from bot.console_buttons import button_to_press
from bot.console_clock import ClockUsageError, describe, travel
from bot.console_input import PROMPT, LineReader, greet
from bot.console_panel import panel_link
from bot.console_setup import PERSONAS, prepare_console_data
from bot.settings import Settings
from bot.web.server import start_web
from calendars.clock import Clock, TravelClock
from handlers.command_menu import publish_commands
from offline.api_server import FakeBotAPI
from offline.render_text import to_console
from offline.simulate import UserActionError
from offline.state import ChatMessage, UpdateResult

log = logging.getLogger(__name__)

HELP = """Console commands:
  :as student|parent|curator|municipal|regional|admin|mother   talk as another demo person
                  (mother: her son is signed up and still needs her consent, /consent)
  :as operator|office|rcoi   the data calendars' people (school passport, VPR)
  :file PATH      send a file to the bot (a list, a schedule, results)
  :panel         a local address of the coordinators' panel (the Mini App) for this person
  :tick           deliver the reminders and notifications that are due now
  :clock          the bot's time; :clock +3d / +2h / -1d, :clock 2026-12-10 08:00 (the demo
                  region's time) travel and deliver what became due; :clock now: real time
  :help           this list
  :quit           leave (Ctrl-D works too)
Anything else is sent to the bot as a message; a number presses that button of the last
message (when it has one and the bot is not waiting for typed text)."""


class Console:
    def __init__(  # noqa: PLR0913 - the parts of a console session
        self, app: App, server: FakeBotAPI, out: IO[str], downloads: Path, zone: str
    ) -> None:
        self.app = app
        self.zone = zone
        self.server = server
        self.out = out
        self.downloads = downloads
        self.persona = "student"
        self.seen: dict[int, int] = {}

    @property
    def user_id(self) -> int:
        return PERSONAS[self.persona].tg_id

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, message: ChatMessage) -> None:
        self.write("🤖 " + to_console(message).replace("\n", "\n   "))
        for stored in (message.document, message.photo):
            if stored is not None:
                self.downloads.mkdir(parents=True, exist_ok=True)
                target = self.downloads / Path(stored.file_name).name
                target.write_bytes(stored.content)
                self.write(f"   (saved to {target})")

    def show_result(self, result: UpdateResult) -> None:
        for call in result.calls:
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                self.write(f"💬 {call.params['text']}")
            elif call.ok and call.message is not None and call.chat_id == self.user_id:
                self.show(call.message)
            elif not call.ok and call.method not in ("getUpdates",):
                self.write(f"⚠ Telegram refused {call.method}: {call.description}")
        self.seen[self.user_id] = len(self.server.bot_messages(self.user_id))

    def show_arrivals(self) -> None:
        """Messages the bot sent on its own (reminders, notifications) since we last looked."""
        messages = self.server.bot_messages(self.user_id)
        start = self.seen.get(self.user_id, 0)
        for message in messages[start:]:
            self.show(message)
        self.seen[self.user_id] = len(messages)

    async def handle(self, line: str) -> bool:
        if line.startswith(":"):
            return await self.command(line[1:].strip())
        button = await button_to_press(self.app, self.server, self.user_id, line)
        if button is None:
            result = await self.server.user_sends_text(self.user_id, line)
        elif button.text is not None:
            result = await self.server.user_sends_text(self.user_id, button.text)
        else:
            result = await self.server.user_clicks_button(
                self.user_id, button.number, message_id=button.message_id
            )
        self.show_result(result)
        return True

    async def clock(self, arg: str) -> None:
        clock = self.app.clock
        if not isinstance(clock, TravelClock):
            self.write("— this clock cannot travel")
            return
        try:
            moved = travel(clock, arg, self.zone)
        except ClockUsageError as exc:
            self.write(str(exc))
            return
        self.write(describe(clock, self.zone))
        if moved:
            sent = await self.app.catch_up()
            self.write(f"— delivered {sent} message(s)")
            self.show_arrivals()

    async def command(self, line: str) -> bool:
        name, _, arg = line.partition(" ")
        if name in ("q", "quit", "exit"):
            return False
        if name == "as" and arg.strip() in PERSONAS:
            self.persona = arg.strip()
            self.write(f"— you are now: {PERSONAS[self.persona].describe}")
            self.show_arrivals()
        elif name == "file" and arg.strip():
            path = Path(arg.strip()).expanduser()
            if not path.is_file():
                self.write(f"— no such file: {path}")
                return True
            result = await self.server.user_sends_document(
                self.user_id, path.name, path.read_bytes()
            )
            self.show_result(result)
        elif name == "panel":
            self.write(panel_link(self.app, PERSONAS[self.persona]))
        elif name == "tick":
            sent = await self.app.deliver_due()
            self.write(f"— delivered {sent} message(s)")
            self.show_arrivals()
        elif name == "clock":
            await self.clock(arg)
        else:
            self.write(HELP)
        return True


async def run_console(
    settings: Settings,
    stdin: IO[str],
    stdout: IO[str],
    *,
    clock: Clock | None = None,
    reader: LineReader | None = None,
) -> int:
    """`reader` given: the greeting and the first prompt are already on the screen (shown by
    `greet` while the bot was loading), and typed lines wait in it."""
    async with FakeBotAPI() as server:
        for persona in PERSONAS.values():
            server.add_user(persona.tg_id, first_name=persona.first_name, language_code="ru")
        offline = settings.model_copy(
            update={
                "bot_token": SecretStr(server.token),
                "telegram_api_url": AnyHttpUrl(server.base_url),
                "admin_ids": settings.admin_ids | {PERSONAS["admin"].tg_id},
                # One person typing cannot flood; pasted scripts must not be throttled.
                "throttle_rate": 0.0,
            }
        )
        app = await build_app(offline, clock=clock or clock_for(offline))
        try:
            # Without WEB_PORT the panel gets a free port of the system's choosing.
            app.web = await start_web(
                app, offline.model_copy(update={"web_port": settings.web_port or 0})
            )
            zone = await prepare_console_data(app)
            await app.start_background()
            async with server.run_polling(app.dp, app.bot):
                await publish_commands(app.bot, app.i18n)
                downloads = Path("data") / "console" / "downloads"
                console = Console(app, server, stdout, downloads, zone)
                await _repl(console, stdin, reader)
        finally:
            await app.close()
    return 0


async def _repl(console: Console, stdin: IO[str], reader: LineReader | None) -> None:
    prompted = reader is not None
    if reader is None:
        reader = greet(stdin, console.out)
    while True:
        console.show_arrivals()
        if not prompted:
            console.out.write(PROMPT)
            console.out.flush()
        prompted = False
        line = await reader.next_line()
        if line is None:
            console.write("")
            return
        if not line.strip():
            continue
        try:
            if not await console.handle(line.strip()):
                return
        except UserActionError as exc:
            console.write(f"— {exc}")
