"""Demo people of the console chat, each with the staff role their persona needs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.settings import PROJECT_ROOT
from models.enums import Level, PersonKind, Role
from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import ParentLink, RoleGrant, User
from reminders.planner import replan_students
from services.reference.demo import load_demo
from services.reference.loader import load_demo_file

DEMO_FILE = PROJECT_ROOT / "data" / "demo" / "demo.yaml"


@dataclass(frozen=True)
class Persona:
    tg_id: int
    first_name: str
    role: Role | None
    describe: str


PERSONAS: dict[str, Persona] = {
    "student": Persona(101, "Аня", None, "a student (new: start with /start)"),
    "parent": Persona(102, "Ольга", None, "a parent (new: start with /start)"),
    "curator": Persona(
        103, "Мария Ивановна", Role.CURATOR, "the curator of the first demo school"
    ),
    "municipal": Persona(104, "Игорь Петрович", Role.MUNICIPAL, "the municipal coordinator"),
    "regional": Persona(105, "Елена Сергеевна", Role.REGIONAL, "the regional coordinator"),
    "admin": Persona(106, "Администратор", None, "a deployment admin"),
    "mother": Persona(
        107, "Татьяна", None, "a parent whose child is signed up and needs her consent (/consent)"
    ),
}
DEMO_CHILD = "Петя Смирнов"


async def prepare_console_data(app: App) -> str:
    """Loads the demo (once; dated from that day), gives the staff personas their roles, and
    returns the demo region's time zone (the console reads typed times in it)."""
    now = app.clock.now()
    demo = load_demo_file(DEMO_FILE)
    async with app.sessionmaker() as session, session.begin():
        await load_demo(session, demo, app.ref, now.date(), now)
        row = (
            await session.execute(
                select(Region.id, Municipality.id, School.id)
                .join(Municipality, Municipality.region_id == Region.id)
                .join(School, School.municipality_id == Municipality.id)
                .where(Region.code == demo.region.code)
                .order_by(School.code)
                .limit(1)
            )
        ).one()
        scopes = {
            Role.CURATOR: {"region_id": None, "municipality_id": None, "school_id": row[2]},
            Role.MUNICIPAL: {"region_id": None, "municipality_id": row[1], "school_id": None},
            Role.REGIONAL: {"region_id": row[0], "municipality_id": None, "school_id": None},
        }
        for persona in PERSONAS.values():
            user = await session.scalar(select(User).where(User.tg_id == persona.tg_id))
            if user is None:
                user = User(tg_id=persona.tg_id, full_name=persona.first_name, created_at=now)
                session.add(user)
                await session.flush()
            if persona.role is None:
                continue
            held = await session.scalar(
                select(RoleGrant.id).where(
                    RoleGrant.user_id == user.id,
                    RoleGrant.role == persona.role,
                    RoleGrant.revoked_at.is_(None),
                )
            )
            if held is None:
                session.add(
                    RoleGrant(
                        user_id=user.id, role=persona.role, created_at=now, **scopes[persona.role]
                    )
                )
        await _demo_family(session, app, row[2])
    return app.ref.region(demo.region.code).timezone


async def _demo_family(session: AsyncSession, app: App, school_id: int) -> None:
    """The "mother" persona: her son is signed up for the school stage of mathematics without
    a parent's consent yet, so /consent, the curator's list and the reminders have a case."""
    now = app.clock.now()
    mother = await session.scalar(select(User).where(User.tg_id == PERSONAS["mother"].tg_id))
    assert mother is not None
    if await session.scalar(select(ParentLink.id).where(ParentLink.parent_id == mother.id)):
        return
    mother.kind, mother.school_id, mother.grade = PersonKind.PARENT, school_id, 7
    mother.onboarded_at = now
    child = User(
        full_name=DEMO_CHILD,
        kind=PersonKind.STUDENT,
        school_id=school_id,
        grade=7,
        created_at=now,
        onboarded_at=now,
    )
    session.add(child)
    await session.flush()
    session.add(ParentLink(parent_id=mother.id, child_id=child.id, managed=True, created_at=now))
    math = await session.scalar(
        select(OlympiadEvent.id)
        .join(Subject, Subject.id == OlympiadEvent.subject_id)
        .where(Subject.code == "math", OlympiadEvent.level == Level.SCHOOL)
    )
    if math is not None:
        session.add(Registration(event_id=math, student_id=child.id, grade=7, created_at=now))
        await session.flush()
        await replan_students(session, math, [child.id], app.ref.rules, now)
