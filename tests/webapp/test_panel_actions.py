"""The panel's actions go through the chat's services: a nudge reaches the lagging school's
curator, publication reaches the participant, both audited; and the chat opens the panel."""

from __future__ import annotations

import aiohttp
from sqlalchemy import select

from bot.app import App
from models.audit import AuditEntry
from models.enums import PersonKind, Role
from models.geo import School
from models.olympiad import OlympiadEvent, Registration
from models.people import User
from offline.api_server import FakeBotAPI
from tests.support.app import grant
from tests.support.stage_chat import COORDINATOR, coordinator, demo_scope, event_id
from tests.support.webapp import init_data, post_action
from webapp.auth import HEADER

CURATOR = 800


async def _curator_of_first_school(app: App, fake_api: FakeBotAPI) -> School:
    region_id, muni_id = await demo_scope(app)
    async with app.sessionmaker() as session:
        school = (await session.scalars(select(School).order_by(School.id).limit(1))).one()
    await grant(
        app,
        CURATOR,
        Role.CURATOR,
        region_id=region_id,
        municipality_id=muni_id,
        school_id=school.id,
    )
    fake_api.add_user(CURATOR, "Мария")
    return school


async def test_nudge_reaches_the_lagging_schools_curator(
    app: App, web_url: str, fake_api: FakeBotAPI
) -> None:
    await coordinator(app)
    school = await _curator_of_first_school(app, fake_api)
    event = await event_id(app, "russian")  # registration open, nobody registered
    data = init_data(app, COORDINATOR)

    status, body = await post_action(web_url, data, "nudge/preview", {"event_id": str(event)})
    assert status == 200
    assert school.name in body and 'data-action="nudge/apply"' in body
    assert fake_api.bot_messages(CURATOR) == []  # a preview sends nothing

    status, body = await post_action(web_url, data, "nudge/apply", {"event_id": str(event)})
    assert status == 200, body
    assert "notice ok" in body
    await app.deliver_due()
    texts = [m.text for m in fake_api.bot_messages(CURATOR)]
    assert any("От вашей школы никто не зарегистрирован" in t for t in texts), texts
    async with app.sessionmaker() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert "schools_nudged" in actions


async def test_a_curator_cannot_nudge_or_change_statuses(
    app: App, web_url: str, fake_api: FakeBotAPI
) -> None:
    await _curator_of_first_school(app, fake_api)
    event = await event_id(app, "russian")
    data = init_data(app, CURATOR)
    form = {"event_id": str(event), "target": "conducting"}
    for action in ("nudge/preview", "nudge/apply", "status/preview", "publish/apply"):
        assert await post_action(web_url, data, action, form) == (403, "403: Forbidden"), action


async def test_publish_from_the_panel_tells_the_participant(
    app: App, web_url: str, fake_api: FakeBotAPI
) -> None:
    await coordinator(app)
    event = await event_id(app, "history")  # results are being summed up
    async with app.sessionmaker() as session, session.begin():
        row = await session.get(OlympiadEvent, event)
        assert row is not None
        row.max_score = 50
        school = await session.scalar(select(School.id).order_by(School.id).limit(1))
        student = User(
            tg_id=6100,
            full_name="Пётр Сидоров",
            kind=PersonKind.STUDENT,
            grade=9,
            school_id=school,
            created_at=app.clock.now(),
            locale="ru",
        )
        session.add(student)
        await session.flush()
        session.add(
            Registration(
                event_id=event,
                student_id=student.id,
                grade=9,
                score=42,
                created_at=app.clock.now(),
            )
        )
    fake_api.add_user(6100, "Пётр")
    data = init_data(app, COORDINATOR)
    status, body = await post_action(web_url, data, "publish/preview", {"event_id": str(event)})
    assert status == 200 and 'data-action="publish/apply"' in body
    status, body = await post_action(web_url, data, "publish/apply", {"event_id": str(event)})
    assert status == 200, body
    await app.deliver_due()
    texts = [m.text for m in fake_api.bot_messages(6100)]
    assert any("42" in t for t in texts), texts
    # Publishing twice is refused in words, and changes nothing.
    status, body = await post_action(web_url, data, "publish/apply", {"event_id": str(event)})
    assert status == 409 and "notice refused" in body


async def test_export_goes_to_the_chat_or_downloads(
    app: App, web_url: str, fake_api: FakeBotAPI
) -> None:
    await coordinator(app)
    fake_api.add_user(COORDINATOR, "Игорь")
    data = init_data(app, COORDINATOR)
    status, body = await post_action(web_url, data, "export", {"layout": "f"})
    assert status == 200, body
    sent = fake_api.bot_messages(COORDINATOR)
    assert sent and sent[-1].document is not None
    assert sent[-1].document.content.startswith(b"PK")  # an .xlsx is a zip
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{web_url}/app/api/export.xlsx?layout=s", headers={HEADER: data}) as response,
    ):
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert (await response.read()).startswith(b"PK")
    async with app.sessionmaker() as session:
        exports = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "export"))
        )
    assert len(exports) == 2
    async with aiohttp.ClientSession() as http, http.get(f"{web_url}/app/api/export.xlsx") as bare:
        assert bare.status == 401
