"""Demo people of the console chat, each with the staff role their persona needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.settings import PROJECT_ROOT
from models.calendar_steps import PlanWork
from models.enums import Level, PersonKind, Role
from models.geo import Municipality, Region, School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import ParentLink, RoleGrant, User
from reminders.planner import replan_students
from services.calendar_steps.items import VPR, vpr_track
from services.collections.demo import load_demo_calendars
from services.people.identity import Identity
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
    "operator": Persona(
        107,
        "Светлана Олеговна",
        Role.DATA_OPERATOR,
        "the data operator of the first demo school (school passport, VPR: /steps, /due)",
    ),
    "office": Persona(
        108,
        "Анна Викторовна",
        Role.MUNICIPAL_OFFICE,
        "the municipal education office (data calendars: /steps, /vpr)",
    ),
    "rcoi": Persona(
        109,
        "Павел Андреевич",
        Role.REGIONAL_CENTRE,
        "the regional data centre (data calendars: /steps, /vpr)",
    ),
    "mother": Persona(
        110, "Татьяна", None, "a parent whose child is signed up and needs her consent (/consent)"
    ),
}
DEMO_CHILD = "Петя Смирнов"
# The demo's ВПР plan-schedule: (subject, grade, W and U in days from the demo's first day).
DEMO_VPR = (
    ("Математика", 5, 9, 13),
    ("Русский язык", 4, 11, 15),
    ("История", 6, 16, 20),
)


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
        scopes[Role.DATA_OPERATOR] = scopes[Role.CURATOR]
        scopes[Role.MUNICIPAL_OFFICE] = scopes[Role.MUNICIPAL]
        scopes[Role.REGIONAL_CENTRE] = scopes[Role.REGIONAL]
        await _demo_plan(session, row[0], now)
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
        await session.flush()
        await _demo_family(session, app, row[2])
        zone = app.ref.region(demo.region.code).timezone
        with app.i18n.context():
            await load_demo_calendars(session, await _identity(session, "regional"), now, zone)
    _roll_yearly_calendars(app)
    return zone


async def _identity(session: AsyncSession, persona: str) -> Identity:
    user = await session.scalar(select(User).where(User.tg_id == PERSONAS[persona].tg_id))
    assert user is not None  # created above
    grants = await session.scalars(
        select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.revoked_at.is_(None))
    )
    return Identity(user=user, grants=tuple(grants))


def _roll_yearly_calendars(app: App) -> None:
    """The presets are written for their own school year (Паспорт школы: 2024/25); the demo
    reads their dates in the current one, so that they are ahead of a new user."""
    for code, calendar in list(app.ref.calendars.items()):
        if calendar.school_year is not None and code != "olympiad":
            app.ref.calendars[code] = calendar.model_copy(update={"school_year": None})


async def _demo_plan(session: AsyncSession, region_id: int, now: dt.datetime) -> None:
    """The demo region's ВПР works, dated from the demo's first day (loaded once)."""
    if await session.scalar(select(PlanWork.id).where(PlanWork.calendar == VPR).limit(1)):
        return
    today = now.date()
    for subject, grade, work, upload in DEMO_VPR:
        session.add(
            PlanWork(
                calendar=VPR, scope_key=f"r{region_id}", region_id=region_id, subject=subject,
                grade=grade, track=vpr_track(subject, grade),
                work_on=today + dt.timedelta(days=work),
                upload_on=today + dt.timedelta(days=upload), created_at=now,
            )
        )  # fmt: skip


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
