"""Shared pieces of the staff conversation tests.

- `extra_routers`: wires the invitation, staff and audit routers where production puts them
  (before the generic /start, which would otherwise swallow `/start inv_…`);
- `Places`: the demo region/municipality/school and a second region with its own municipality
  and school, outside every demo coordinator's scope;
- `person_as`: a chat for each role of the matrix; `press`: a button with any callback data,
  as a stale or tampered message would carry; `refused`: did the bot say "not allowed"?
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from aiogram import Router
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy import select

from bot.app import App
from models.enums import PersonKind, Role
from models.geo import Municipality, Region, School
from models.outbox import Outbox, OutboxKind
from models.people import User
from tests.support.app import ADMIN_TG_ID, grant
from tests.support.chat import ChatDriver, Reply

FORBIDDEN = "У вас нет прав на это действие."
# The data calendars' roles: none of them acts on the olympiad.
DATA_ROLES = ("data_operator", "municipal_office", "regional_centre")
ROLES = (
    "none",
    "student",
    "parent",
    "curator",
    "municipal",
    "regional",
    "admin",
    *DATA_ROLES,
)
_TG_IDS = {role: 3000 + i for i, role in enumerate(ROLES)} | {"admin": ADMIN_TG_ID}


def wire_staff_routers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Puts the invitation, staff and audit routers before /start, unless already wired."""
    import bot.app
    from handlers import audit, fresh_copy, invitations, staff

    wired = bot.app.get_routers

    def routers() -> list[Router]:
        found = wired()
        names = {r.name for r in found}
        mine = [fresh_copy(r) for r in (invitations.router, staff.router, audit.router)
                if r.name not in names]  # fmt: skip
        start = next(i for i, r in enumerate(found) if r.name == "handlers.start")
        return [*found[:start], *mine, *found[start:]]

    monkeypatch.setattr(bot.app, "get_routers", routers)


@pytest.fixture
def extra_routers(monkeypatch: pytest.MonkeyPatch) -> list[Router]:
    wire_staff_routers(monkeypatch)
    return []


@dataclass(frozen=True)
class Places:
    region: int
    municipality: int
    school: int
    school_name: str
    other_region: int  # Tomsk: nobody of the demo works there
    other_municipality: int
    other_school: int

    def pick(self, kind: str, in_scope: bool) -> int:
        """The id of a region ("r"), municipality ("m") or school ("s"), in or out of scope."""
        ids = {
            "r": (self.region, self.other_region),
            "m": (self.municipality, self.other_municipality),
            "s": (self.school, self.other_school),
        }[kind]
        return ids[0] if in_scope else ids[1]


async def places(app: App) -> Places:
    async with app.sessionmaker() as session, session.begin():
        school = (await session.scalars(select(School).where(School.code == "sosh1"))).one()
        muni = await session.get(Municipality, school.municipality_id)
        assert muni is not None
        tomsk = (await session.scalars(select(Region).where(Region.code == "70"))).one()
        far = Municipality(region_id=tomsk.id, code="tomsk", name="Город Томск")
        session.add(far)
        await session.flush()
        far_school = School(municipality_id=far.id, code="t1", name="Томская гимназия № 1")
        session.add(far_school)
        await session.flush()
        return Places(
            muni.region_id, muni.id, school.id, school.name, tomsk.id, far.id, far_school.id
        )


async def person_as(
    app: App, make_chat: Callable[..., ChatDriver], role: str, where: Places
) -> tuple[ChatDriver, User | None]:
    """A chat of someone who is `role` in the demo municipality (admins are from ADMIN_IDS)."""
    tg_id = _TG_IDS[role]
    chat = make_chat(tg_id, first_name=role.capitalize(), last_name="Тестов")
    name = f"{role.capitalize()} Тестов"
    if role in ("student", "parent"):
        async with app.sessionmaker() as session, session.begin():
            kind = PersonKind(role)
            session.add(
                User(tg_id=tg_id, full_name=name, kind=kind, school_id=where.school, grade=7,
                     created_at=app.clock.now(), onboarded_at=app.clock.now())
            )  # fmt: skip
        return chat, None
    scopes = {
        "curator": {"region_id": where.region, "municipality_id": where.municipality,
                    "school_id": where.school},
        "municipal": {"region_id": where.region, "municipality_id": where.municipality},
        "regional": {"region_id": where.region},
    }  # fmt: skip
    scopes["data_operator"] = scopes["curator"]
    scopes["municipal_office"] = scopes["municipal"]
    scopes["regional_centre"] = scopes["regional"]
    if role in scopes:
        return chat, await grant(app, tg_id, Role(role), name=name, **scopes[role])
    if role == "admin":
        async with app.sessionmaker() as session, session.begin():
            user = User(tg_id=tg_id, full_name="Админ", created_at=app.clock.now())
            session.add(user)
        return chat, user
    return chat, None


async def user_of(app: App, tg_id: int) -> User:
    async with app.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.tg_id == tg_id))
        assert user is not None
        return user


async def press(app: App, chat: ChatDriver, callback_data: str) -> Reply:
    """Presses a button carrying `callback_data` on a message made for the purpose."""
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="▶", callback_data=callback_data)]]
    )
    planted = await app.bot.send_message(chat.user_id, "…", reply_markup=markup)
    return await chat.click_data(callback_data, message_id=planted.message_id)


def refused(reply: Reply) -> bool:
    return FORBIDDEN in (reply.alert or "") or FORBIDDEN in reply.text


async def outbox_texts(app: App, user_id: int) -> list[str]:
    async with app.sessionmaker() as session:
        rows = await session.scalars(
            select(Outbox.text).where(Outbox.user_id == user_id, Outbox.kind == OutboxKind.MESSAGE)
        )
        return [text or "" for text in rows]
