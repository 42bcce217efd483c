"""The command menu: one list, filtered by role for /help and published per language."""

from __future__ import annotations

from dataclasses import dataclass, replace

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import lazy_gettext as __

from models.enums import PersonKind, Role
from services.people.identity import Identity

EVERYONE = "everyone"
_FAMILY = frozenset({"student", "parent"})
_ORGANISERS = frozenset({"municipal", "regional"})
_RESULTS = frozenset({"curator", "municipal", "regional", "admin"})
_COORDINATORS = frozenset({"municipal", "regional", "admin"})
_DATA_COORDINATORS = frozenset({"municipal_office", "regional_centre", "admin"})
_DATA_CALENDARS = _DATA_COORDINATORS | {"data_operator"}
_INVITERS = _COORDINATORS | _DATA_COORDINATORS


@dataclass(frozen=True)
class Command:
    name: str
    description: object  # a lazy translation, rendered in the reader's language
    audience: frozenset[str]
    in_menu: bool = True
    # What the command does for a parent, when that differs (a parent answers for a child).
    for_parent: object | None = None


COMMANDS: list[Command] = [
    Command(
        "start",
        __("Choose school and grade"),
        frozenset({EVERYONE}),
        for_parent=__("Choose my child's school and grade"),
    ),
    Command("help", __("What I can do"), frozenset({EVERYONE})),
    Command("settings", __("Language and time zone"), frozenset({EVERYONE})),
    Command("cancel", __("Stop the current step"), frozenset({EVERYONE})),
    Command("events", __("Olympiads open to me: catalog and sign-up"), _FAMILY),
    Command("my", __("My registrations and results"), _FAMILY),
    Command("children", __("My children: link by code or add a profile"), frozenset({"parent"})),
    Command("parentcode", __("Code for linking my parent"), frozenset({"student"})),
    Command(
        "consent",
        __("Parent's consent to take part in the olympiad"),
        frozenset({"student", "parent", "curator"}),
    ),
    Command("due", __("What is due: my deadlines, soonest first"), frozenset({EVERYONE})),
    Command("calendar", __("My deadlines as a calendar file (.ics)"), frozenset({EVERYONE})),
    Command(
        "reminders", __("Reminder settings: when, quiet hours, digest"), frozenset({EVERYONE})
    ),
    Command("mydata", __("What the bot keeps about me, and deleting it"), frozenset({EVERYONE})),
    Command("school", __("The school: students, registration, lists"), frozenset({"curator"})),
    Command("stage", __("Create a stage's events from a schedule file"), _ORGANISERS),
    Command("status", __("Change the status of events"), _ORGANISERS),
    Command("overview", __("Stage overview: progress, overdue checks, chart"), _COORDINATORS),
    Command("event", __("One event: card, editing, status"), _COORDINATORS),
    Command("results", __("Enter and publish olympiad results"), _RESULTS),
    Command("admit", __("Form the next stage's participant list"), _ORGANISERS),
    Command(
        "codes",
        __("Participant codes: upload, release time, reissue"),
        frozenset({"curator", "municipal", "regional", "admin"}),
    ),  # fmt: skip
    Command("appeals", __("Appeals on the results: the window and the answers"), _ORGANISERS),
    Command("export", __("Registrations and results as a spreadsheet"), _RESULTS),
    Command(
        "steps",
        __("Data calendars: school passport, VPR: steps and lagging schools"),
        _DATA_CALENDARS,
    ),  # fmt: skip
    Command("vpr", __("Upload the VPR plan-schedule"), _DATA_COORDINATORS),
    Command("invite", __("Invite a coordinator, curator or data operator"), _INVITERS),
    Command("invites", __("My pending invitations"), _COORDINATORS),
    Command("staff", __("Staff in my scope"), _COORDINATORS),
    Command("audit", __("Audit log of my scope"), _COORDINATORS),
    Command(
        "claim", __("Take over the record your school made"), frozenset({EVERYONE}), in_menu=False
    ),
]


def register(command: Command) -> None:
    if any(c.name == command.name for c in COMMANDS):
        raise ValueError(f"command /{command.name} registered twice")
    COMMANDS.append(command)


def audiences(ident: Identity) -> frozenset[str]:
    found = {EVERYONE}
    kind = ident.user.kind
    if kind in (PersonKind.STUDENT, PersonKind.PARENT):
        found.add(str(kind))
    found.update(str(role) for role in ident.roles)
    if Role.ADMIN in ident.roles:
        found.update(str(role) for role in Role)
    return frozenset(found)


def commands_for(ident: Identity) -> list[Command]:
    mine = audiences(ident)
    parent = ident.user.kind == PersonKind.PARENT
    return [
        replace(c, description=c.for_parent) if parent and c.for_parent else c
        for c in COMMANDS
        if c.audience & mine
    ]


def menu_for(locale: str, i18n: I18n) -> list[BotCommand]:
    """The menu everyone sees; staff reach their commands through /help."""
    public = {EVERYONE, str(PersonKind.STUDENT), str(PersonKind.PARENT)}
    with i18n.use_locale(locale):
        return [
            BotCommand(command=c.name, description=str(c.description))
            for c in COMMANDS
            if c.in_menu and c.audience & public
        ]


async def publish_commands(bot: Bot, i18n: I18n) -> None:
    with i18n.context():
        for locale in i18n.available_locales:
            await bot.set_my_commands(
                menu_for(locale, i18n), scope=BotCommandScopeDefault(), language_code=locale
            )
        await bot.set_my_commands(
            menu_for(i18n.default_locale, i18n), scope=BotCommandScopeDefault()
        )
