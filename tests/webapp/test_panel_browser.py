"""The panel in headless Chromium: the numbers match the database, a filter narrows them, a
status change sends the chat's notices, and nothing overflows at 360 and 1280 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.app import App
from models.calendar_steps import ORG_SCHOOL, StepMark
from models.collections import OrgState
from models.enums import EventStatus, PersonKind, Role
from models.geo import School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from offline.api_server import FakeBotAPI
from services.calendar_steps.items import PASSPORT
from services.stage.scope import current_school_year
from tests.support.app import grant
from tests.support.browser import browser, open_page, overflows
from tests.support.calendar_panel import collection, db_states
from tests.support.stage_chat import COORDINATOR, coordinator, demo_scope, event_id
from tests.support.webapp import init_data, panel_link

__all__ = ["browser"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
STUDENTS = 3
OFFICE = 820  # the demo municipality's education office


async def _register(app: App, subject: str) -> list[int]:
    """Students (in Telegram) of the first demo schools, registered for the subject."""
    event = await event_id(app, subject)
    async with app.sessionmaker() as session, session.begin():
        schools = list(await session.scalars(select(School.id).order_by(School.id).limit(2)))
        students = [
            User(
                tg_id=6000 + i,
                full_name=f"Ученик {i}",
                kind=PersonKind.STUDENT,
                grade=9,
                school_id=schools[i % 2],
                created_at=app.clock.now(),
                locale="ru",
            )
            for i in range(STUDENTS)
        ]
        session.add_all(students)
        await session.flush()
        session.add_all(
            Registration(event_id=event, student_id=s.id, grade=9, created_at=app.clock.now())
            for s in students
        )
    return [s.tg_id for s in students if s.tg_id is not None]


async def _db_counts(app: App, subject: str | None = None) -> tuple[int, int]:
    """Events of the coordinator's municipality this year, and registrations for them."""
    _region, muni = await demo_scope(app)
    year = current_school_year(app.clock.now(), "Europe/Moscow")
    where = [OlympiadEvent.municipality_id == muni, OlympiadEvent.school_year == year]
    if subject is not None:
        where.append(Subject.code == subject)
    async with app.sessionmaker() as session:
        events = await session.scalar(
            select(func.count(OlympiadEvent.id)).join(Subject).where(*where)
        )
        registered = await session.scalar(
            select(func.count(Registration.id))
            .join(OlympiadEvent, Registration.event_id == OlympiadEvent.id)
            .join(Subject)
            .where(*where)
        )
    return int(events or 0), int(registered or 0)


async def _number(page: Any, selector: str) -> int:
    return int((await page.locator(selector).first.inner_text()).strip())


async def test_panel_numbers_filter_action_and_layout(
    app: App, web_url: str, browser: Any, fake_api: FakeBotAPI
) -> None:
    await coordinator(app)
    students = await _register(app, "math")
    for tg_id in students:
        fake_api.add_user(tg_id, "Ученик")
    url = panel_link(web_url, init_data(app, COORDINATOR))
    page = await open_page(browser, url, 1280)

    events, registered = await _db_counts(app)
    assert await _number(page, "[data-total-events]") == events
    chart = page.locator("#subjects [data-registered]")
    assert sum([int(t) for t in await chart.all_inner_texts()]) == registered == STUDENTS
    assert not await overflows(page)
    await page.screenshot(path=str(SCREENSHOTS / "panel-1280.png"), full_page=True)

    math_id = await event_id(app, "math")
    async with app.sessionmaker() as session:
        math_subject = await session.scalar(select(Subject.id).where(Subject.code == "math"))
    await page.select_option("#filters select[name=subject]", str(math_subject))
    await page.wait_for_function(
        "document.querySelectorAll('#events [data-event-id]').length === "
        f"{(await _db_counts(app, 'math'))[0]}"
    )
    assert await _number(page, "[data-total-events]") == (await _db_counts(app, "math"))[0]

    row = page.locator(f"#events [data-event-id='{math_id}']")
    await row.locator("select[name=target]").select_option(str(EventStatus.CONDUCTING))
    await row.get_by_role("button", name="Сменить статус").click()
    dialog = page.locator("#dialog")
    await dialog.get_by_role("button", name="Подтвердить").click()
    await page.wait_for_selector("#dialog .notice.ok")
    assert "Статус изменён" in await dialog.inner_text()
    async with app.sessionmaker() as session:
        assert (
            await session.scalar(select(OlympiadEvent.status).where(OlympiadEvent.id == math_id))
            == EventStatus.CONDUCTING
        )

    await app.deliver_due()
    notice = fake_api.bot_messages(students[0])
    assert notice, "the student got no notice of the status change"
    assert "Математика" in notice[-1].text

    await dialog.get_by_role("button", name="Закрыть").click()
    narrow = await open_page(browser, url, 360, 780)
    assert not await overflows(narrow)
    await narrow.screenshot(path=str(SCREENSHOTS / "panel-360.png"), full_page=True)


async def test_calendar_section_in_english_numbers_and_layout(
    app: App, web_url: str, browser: Any
) -> None:
    """A coordinator reading English opens «Data collections»: the states per organisation
    match the database, lagging ones first, and the page fits 360 and 1280 px."""
    await coordinator(app)
    _region, muni = await demo_scope(app)
    async with app.sessionmaker() as session, session.begin():
        person = await session.scalar(select(User).where(User.tg_id == COORDINATOR))
        assert person is not None
        person.locale = "en"
        schools = list(
            await session.scalars(select(School.id).where(School.municipality_id == muni))
        )
    states = [OrgState.SUBMITTED, OrgState.NOT_STARTED, OrgState.IN_PROGRESS]
    collection_id = await collection(
        app, "OO-1 form", muni, {s: states[i % 3] for i, s in enumerate(schools)}
    )
    expected = await db_states(app, collection_id)
    url = panel_link(web_url, init_data(app, COORDINATOR))
    for width in (1280, 360):
        page = await open_page(browser, url, width)
        assert "Stage overview" in await page.locator("h1").first.inner_text()
        await page.locator("#sections").get_by_text("Data collections").click()
        await page.wait_for_selector("#collection-totals")
        for state in OrgState:
            assert await _number(page, f"#collection-totals [data-state={state}]") == expected.get(
                str(state), 0
            )
        assert await _number(page, "#collection-totals [data-total]") == len(schools)
        rows = page.locator("#collection-orgs [data-org-state]")
        order = [
            await rows.nth(i).get_attribute("data-org-state") for i in range(await rows.count())
        ]
        assert order and order[0] == OrgState.NOT_STARTED
        assert order == sorted(order, key=[str(s) for s in OrgState].index)
        assert "Not started" in await page.locator("#collection-orgs").inner_text()
        assert not await overflows(page)
        await page.screenshot(
            path=str(SCREENSHOTS / f"panel-calendars-{width}.png"), full_page=True
        )


async def test_data_calendar_section_numbers_from_the_database(
    app: App, web_url: str, browser: Any
) -> None:
    """The municipal office opens «Паспорт школы»: every school of its municipality, each
    school's steps done as the marks in the database say; a school opens to its steps."""
    region_id, muni = await demo_scope(app)
    await grant(app, OFFICE, Role.MUNICIPAL_OFFICE, region_id=region_id, municipality_id=muni)
    passport = app.ref.calendars[PASSPORT]
    first = passport.tracks["collection"].steps[0].code
    async with app.sessionmaker() as session, session.begin():
        schools = list(
            await session.scalars(select(School.id).where(School.municipality_id == muni))
        )
        session.add(
            StepMark(calendar=PASSPORT, item=first, org_kind=ORG_SCHOOL, org_id=schools[0],
                     done_at=app.clock.now())
        )  # fmt: skip
    async with app.sessionmaker() as session:
        marks = await session.scalar(
            select(func.count(StepMark.id)).where(StepMark.org_id == schools[0])
        )
    page = await open_page(browser, panel_link(web_url, init_data(app, OFFICE)), 1280)
    await page.locator("#sections").get_by_text("Паспорт школы").click()
    await page.wait_for_selector("#lagging-schools")
    assert not await overflows(page)
    await page.screenshot(path=str(SCREENSHOTS / "panel-steps-1280.png"), full_page=True)
    rows = page.locator("#lagging-schools [data-school-id]")
    shown = [int(await rows.nth(i).get_attribute("data-school-id") or 0)
             for i in range(await rows.count())]  # fmt: skip
    assert sorted(shown) == sorted(schools)
    row = page.locator(f"#lagging-schools [data-school-id='{schools[0]}']")
    assert int(await row.get_attribute("data-done") or -1) == marks == 1
    await row.locator("a").click()
    await page.wait_for_selector("#school-steps")
    assert await page.locator("#school-steps [data-step-state=done]").count() == marks
    narrow = await open_page(browser, panel_link(web_url, init_data(app, OFFICE)), 360, 780)
    await narrow.locator("#sections").get_by_text("Паспорт школы").click()
    await narrow.wait_for_selector("#lagging-schools")
    assert not await overflows(narrow)
