"""Every staff command × every role × a target in and out of the person's scope.

Each row of `ROWS` is one staff command. Its `attempt(ctx, in_scope)` plays the command through
the real dispatcher as `ctx.role` against a target it builds (in the demo municipality when
`in_scope`, else in a second region nobody of the demo works in) and returns True when the bot
did it, False when it refused. The test runs every role (none, student, parent, curator,
municipal, regional, admin) on both targets and compares the whole table with `allowed_in` /
`allowed_out` at once, so a failure shows every cell that differs.

Adding a command (e.g. /stage, /status, /overview, /results, /admit, /export):

1. write `async def attempt(ctx: Ctx, in_scope: bool) -> bool`:
   - build the target with the helpers below: `ctx.places.pick("r"|"m"|"s", in_scope)` gives a
     region, municipality or school id; `await make_event(ctx, in_scope, Level.X)` an event
     organised there (status `registration` unless told);
   - send the command (`await ctx.chat.send("/status")`); if `refused(reply)` return False;
   - act on the target: press its button by callback data with
     `await press(ctx.app, ctx.chat, SomeCb(...).pack())` (a stale or tampered button is
     exactly what an out-of-scope attempt looks like); if `refused(reply)` return False;
   - assert what success looks like (a text, a row) and return True;
2. add `MatrixRow("/status", attempt, allowed_in=frozenset({...}))`; `allowed_out` defaults to
   the admin alone;
3. include the command's router in `ROUTERS` until it is wired in `handlers/__init__.py`.

The coordinators' stage commands (/stage, /status, /overview, /event) have their rows in
`tests/conversation/test_stage_matrix.py`, played by `run_row` below.

A reply that is neither success nor the "not allowed" text (e.g. "something went wrong") fails
the test: a refusal must be the clear one.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiogram import Router
from sqlalchemy import select

from bot.app import App
from models.enums import EventStatus, Level, Role
from models.invitations import Invitation
from models.olympiad import OlympiadEvent, Subject, scope_key_for
from models.people import RoleGrant, User
from services.audit import record as audit
from services.people.identity import Identity
from services.scopes import Scope
from services.staff.invitation_targets import TARGET_KIND
from services.staff.invitations import new_token, token_hash
from tests.support.app import grant
from tests.support.chat import ChatDriver, Reply
from tests.support.staff_chat import (
    ROLES,
    Places,
    person_as,
    places,
    press,
    refused,
    wire_staff_routers,
)
from ui.callbacks.staff import InvAct, InvCb, StaffAct, StaffCb

ROUTERS: list[Router] = []  # routers of rows whose commands are not wired yet
BROKEN = "Что-то пошло не так"
_tg_ids = itertools.count(4000)


@pytest.fixture
def extra_routers(monkeypatch: pytest.MonkeyPatch) -> list[Router]:
    wire_staff_routers(monkeypatch)
    return ROUTERS


@dataclass
class Ctx:
    app: App
    places: Places
    role: str
    chat: ChatDriver
    user: User
    stranger: User  # a coordinator of the other region


Attempt = Callable[[Ctx, bool], Awaitable[bool]]


@dataclass(frozen=True)
class MatrixRow:
    command: str
    attempt: Attempt
    allowed_in: frozenset[str]
    allowed_out: frozenset[str] = frozenset({"admin"})


def _checked(reply: Reply) -> Reply:
    assert not reply.errors, reply
    assert BROKEN not in reply.text and BROKEN not in (reply.alert or ""), reply
    return reply


def _scope(where: Places, in_scope: bool) -> dict[str, int]:
    return {
        "region_id": where.pick("r", in_scope),
        "municipality_id": where.pick("m", in_scope),
        "school_id": where.pick("s", in_scope),
    }


async def make_event(
    ctx: Ctx, in_scope: bool, level: Level, status: EventStatus = EventStatus.REGISTRATION
) -> int:
    """An event of `level` organised in (or out of) the demo scope; its id."""
    region = ctx.places.pick("r", in_scope)
    municipality = None if level == Level.REGIONAL else ctx.places.pick("m", in_scope)
    now = ctx.app.clock.now()
    async with ctx.app.sessionmaker() as session, session.begin():
        subject = (await session.scalars(select(Subject).where(Subject.code == "physics"))).one()
        event = OlympiadEvent(
            subject_id=subject.id, level=level, region_id=region,
            municipality_id=municipality, scope_key=scope_key_for(region, municipality),
            school_year=now.year if now.month >= 9 else now.year - 1,  # noqa: PLR2004
            held_on=now.date(), grade_min=7, grade_max=11, status=status,
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(event)
        await session.flush()
        return event.id


async def attempt_invite(ctx: Ctx, in_scope: bool) -> bool:
    if refused(_checked(await ctx.chat.send("/invite"))):
        return False
    role = "municipal" if ctx.role == "regional" else "curator"
    kind = TARGET_KIND[Role(role)]
    data = InvCb(act=InvAct.PICK, role=role, kind=kind, id=ctx.places.pick(kind, in_scope))
    reply = _checked(await press(ctx.app, ctx.chat, data.pack()))
    if refused(reply):
        return False
    assert "https://t.me/" in reply.text, reply
    return True


async def attempt_invites(ctx: Ctx, in_scope: bool) -> bool:
    creator = ctx.user if in_scope else ctx.stranger
    now = ctx.app.clock.now()
    async with ctx.app.sessionmaker() as session, session.begin():
        invitation = Invitation(
            token_hash=token_hash(new_token()), role=Role.CURATOR,
            created_by_id=creator.id, created_at=now, expires_at=now.replace(year=now.year + 1),
            **_scope(ctx.places, in_scope),
        )  # fmt: skip
        session.add(invitation)
        await session.flush()
    if refused(_checked(await ctx.chat.send("/invites"))):
        return False
    data = InvCb(act=InvAct.REVOKE, id=invitation.id)
    reply = _checked(await press(ctx.app, ctx.chat, data.pack()))
    if refused(reply):
        return False
    assert reply.text.startswith("✅ Приглашение отозвано"), reply
    return True


async def attempt_staff(ctx: Ctx, in_scope: bool) -> bool:
    holder = await grant(
        ctx.app, next(_tg_ids), Role.CURATOR, name="Куратор", **_scope(ctx.places, in_scope)
    )
    async with ctx.app.sessionmaker() as session:
        grant_id = await session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == holder.id))
    assert grant_id is not None
    if refused(_checked(await ctx.chat.send("/staff"))):
        return False
    reply = _checked(
        await press(ctx.app, ctx.chat, StaffCb(act=StaffAct.ASK, grant_id=grant_id).pack())
    )
    if refused(reply):
        return False
    assert reply.text.startswith("Снять роль?"), reply
    reply = _checked(await ctx.chat.click("Да, снять роль"))
    assert "больше не школьный куратор" in reply.text, reply
    return True


async def attempt_audit(ctx: Ctx, in_scope: bool) -> bool:
    """Allowed: the entry of the target's place is shown; refused: forbidden, or not shown."""
    target = f"запись-{next(_tg_ids)}"
    async with ctx.app.sessionmaker() as session, session.begin():
        actor = await session.get(User, ctx.stranger.id)
        assert actor is not None
        scope = Scope(**_scope(ctx.places, in_scope))
        await audit.record(
            session, Identity(actor), "event_edit", scope, target, ctx.app.clock.now()
        )
    reply = _checked(await ctx.chat.send("/audit"))
    if refused(reply):
        return False
    return target in reply.text


STAFF = frozenset({"municipal", "regional", "admin"})
ROWS = [
    MatrixRow("/invite", attempt_invite, allowed_in=STAFF),
    # The data calendars' office and centre invite data operators, and may take back their own.
    MatrixRow(
        "/invites",
        attempt_invites,
        allowed_in=STAFF | {"municipal_office", "regional_centre"},
    ),
    MatrixRow("/staff", attempt_staff, allowed_in=STAFF),
    MatrixRow("/audit", attempt_audit, allowed_in=STAFF),
]


async def _actor(
    app: App, make_chat: Callable[..., ChatDriver], role: str, where: Places
) -> tuple[ChatDriver, User]:
    chat, user = await person_as(app, make_chat, role, where)
    async with app.sessionmaker() as session, session.begin():
        if user is None:
            user = await session.scalar(select(User).where(User.tg_id == chat.user_id))
        if user is None:  # someone who has only pressed "start" once
            user = User(tg_id=chat.user_id, full_name="Никто", created_at=app.clock.now())
            session.add(user)
    return chat, user


async def run_row(app: App, make_chat: Callable[..., ChatDriver], row: MatrixRow) -> None:
    """Plays `row` for every role on both targets and compares the whole table at once."""
    where = await places(app)
    stranger = await grant(
        app, next(_tg_ids), Role.MUNICIPAL, name="Томский координатор",
        region_id=where.other_region, municipality_id=where.other_municipality,
    )  # fmt: skip
    seen: dict[tuple[str, str], bool] = {}
    want: dict[tuple[str, str], bool] = {}
    for role in ROLES:
        chat, user = await _actor(app, make_chat, role, where)
        ctx = Ctx(app, where, role, chat, user, stranger)
        for in_scope in (True, False):
            cell = (role, "in" if in_scope else "out")
            seen[cell] = await row.attempt(ctx, in_scope)
            want[cell] = role in (row.allowed_in if in_scope else row.allowed_out)
    assert seen == want, {cell: seen[cell] for cell in seen if seen[cell] != want[cell]}
