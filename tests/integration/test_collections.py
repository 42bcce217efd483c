"""Data collections and card completeness on SQLite and PostgreSQL: the totals and the lagging
first list in a coordinator's scope, the responsible-person seam, nudges taken back when work
starts, and a completeness table saved whole or not at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.loader import load_calendar
from models.collections import CardCompleteness, OrgState
from models.enums import Role
from models.outbox import Outbox
from models.people import RoleGrant
from reminders.quiet import QuietHours
from services.collections import monitor
from services.collections.access import watched_collection
from services.collections.opening import Draft, open_collection
from services.collections.people import responsible_people
from services.collections.states import set_state
from services.completeness.bands import Band
from services.completeness.store import figures, scope_figures
from services.completeness.switch import plan_switch
from services.completeness.table import import_table
from services.errors import Refused
from services.people.identity import Identity
from services.reminder_settings.calendar_quiet import set_calendar_quiet
from services.reminder_settings.settings import Context
from services.scopes import Scope
from tests.support.stage_world import NOW, StageWorld, i18n_context, world

__all__ = ["i18n_context", "world"]
pytestmark = pytest.mark.usefixtures("i18n_context")
ZONE = "Asia/Sakhalin"
SWITCH = Path(__file__).resolve().parents[2] / "data/reference/calendars/school_year_switch.yaml"
DRAFT = Draft("Сбор расписания", NOW, NOW + dt.timedelta(days=5))


async def _operator(session: AsyncSession, world: StageWorld, school_id: int) -> Identity:
    """A responsible person whose grant carries the calendar role's string (the seam)."""
    member = await world.staff_member(session, "operator", Role.CURATOR, 111, school_id=school_id)
    await session.execute(
        RoleGrant.__table__.update()
        .where(RoleGrant.user_id == member.user.id)
        .values(role="data_operator")
    )
    grant = await session.scalar(select(RoleGrant).where(RoleGrant.user_id == member.user.id))
    assert grant is not None
    return Identity(user=member.user, grants=(grant,))


async def _nudges(session: AsyncSession, school_id: int) -> int:
    pattern = f"msg:col:%:nudge:{school_id}:%"
    query = select(func.count()).select_from(Outbox).where(Outbox.key.like(pattern))
    return int(await session.scalar(query) or 0)


async def test_totals_lagging_first_and_scopes(session: AsyncSession, world: StageWorld) -> None:
    async with session.begin():
        operator = await _operator(session, world, world.schools[1])
        people = await responsible_people(session, world.schools)
        assert [u.id for u in people[world.schools[1]]] == [operator.user.id]
        collection = await open_collection(session, world.staff["regional"], DRAFT, NOW, ZONE)
        region = Scope(region_id=world.region_id)
        assert await monitor.totals(session, collection.id, region) == monitor.Totals(5, 5, 0, 0)
        assert await _nudges(session, world.schools[1]) > 0
        later = NOW + dt.timedelta(hours=1)

        async def move(who: Identity, school: int, state: OrgState) -> None:
            await set_state(session, who, collection.id, world.schools[school], state,
                            confirmed=False, now=later, default_zone=ZONE)  # fmt: skip

        await move(operator, 1, OrgState.SUBMITTED)
        assert await _nudges(session, world.schools[1]) == 0  # taken back
        await move(world.staff["curator"], 0, OrgState.IN_PROGRESS)
        with pytest.raises(Refused) as refused:
            await move(operator, 1, OrgState.NOT_STARTED)
        assert refused.value.reason == "col_confirm"
        with pytest.raises(Refused):  # not theirs
            await move(operator, 0, OrgState.SUBMITTED)

        assert await monitor.totals(session, collection.id, region) == monitor.Totals(5, 3, 1, 1)
        page = await monitor.org_page(session, collection.id, region, 0, size=2)
        assert page.pages == 3
        assert [line.state for line in page.lines] == [OrgState.NOT_STARTED] * 2
        last = await monitor.org_page(session, collection.id, region, 2, size=2)
        assert [line.state for line in last.lines] == [OrgState.SUBMITTED]
        assert last.lines[0].submitted_at == later

        # The municipal coordinator of Korsakov sees the region's collection, their part only.
        kor, scope = await watched_collection(session, world.staff["municipal_kor"], collection.id)
        assert (await monitor.totals(session, kor.id, scope)).total == 1
        assert [c.id for c in await monitor.coordinated(session, scope)] == [collection.id]
        mine = await monitor.mine(session, operator, later)
        assert [(m.school_id, m.state) for m in mine] == [(world.schools[1], OrgState.SUBMITTED)]


async def test_a_municipal_collection_is_refused_to_another_municipality(
    session: AsyncSession, world: StageWorld
) -> None:
    async with session.begin():
        collection = await open_collection(session, world.staff["municipal"], DRAFT, NOW, ZONE)
        scope = Scope(region_id=world.region_id, municipality_id=world.ys_id)
        assert (await monitor.totals(session, collection.id, scope)).total == 4
        with pytest.raises(Refused):
            await watched_collection(session, world.staff["municipal_kor"], collection.id)


async def test_completeness_table_is_saved_whole_or_not_at_all(
    session: AsyncSession, world: StageWorld
) -> None:
    regional = world.staff["regional"]
    async with session.begin():
        bad = "Код ОО;Процент заполнения\nsosh1;95\nнет-такой;50\ngym1;101\n"
        outcome = await import_table(session, regional, "t.csv", bad.encode(), NOW)
        assert [(e.reason, e.details["row"]) for e in outcome.errors] == [
            ("cmp_row_unknown_school", 3),
            ("cmp_row_bad_percent", 4),
        ]
        count = select(func.count()).select_from(CardCompleteness)
        assert await session.scalar(count) == 0
        good = "Код ОО;Процент заполнения\nsosh1;95\ngym1;79,9\nlyc1;80\nk1;89,99\n"
        outcome = await import_table(session, regional, "t.csv", good.encode(), NOW)
        assert (outcome.saved, outcome.errors) == (4, [])
        groups = await figures(session, Scope(region_id=world.region_id))
        by_name = {g.name: [(o.tenths, o.band) for o in g.orgs] for g in groups}
        assert by_name["Корсаковский городской округ"] == [(899, Band.MEDIUM)]
        ys = next(v for k, v in by_name.items() if "Южно-Сахалинск" in k)
        assert ys == [(799, Band.LOW), (800, Band.MEDIUM), (950, Band.HIGH), (None, None)]
        _scope, mine = await scope_figures(session, world.staff["municipal_kor"])
        assert [len(g.orgs) for g in mine] == [1]


async def test_switch_reminders_are_planned_once(session: AsyncSession, world: StageWorld) -> None:
    calendar = load_calendar(SWITCH)
    before_april = dt.datetime(2027, 3, 28, tzinfo=dt.UTC)
    async with session.begin():
        first = await plan_switch(session, calendar, before_april, ZONE)
        again = await plan_switch(session, calendar, before_april, ZONE)
        keys = list(await session.scalars(select(Outbox.key).where(Outbox.key.like("msg:sw:%"))))
    # The curator of the first school (the one school role of the world) hears of 1 April.
    assert (first, again) == (1, 0)
    assert keys == [
        f"msg:sw:school_year_switch:switch_opens:2026:0:{world.staff['curator'].user.id}"
    ]


async def test_switch_reminders_keep_the_calendars_own_quiet_hours(
    session: AsyncSession, world: StageWorld
) -> None:
    """Quiet hours per calendar reach the АИС СГО switch: 06:00–10:30 of its own moves the 10:00
    reminder to 10:30; back to the general hours, to 10:00 again."""
    calendar = load_calendar(SWITCH)
    before_april = dt.datetime(2027, 3, 28, tzinfo=dt.UTC)
    curator = world.staff["curator"].user.id
    ctx = Context(curator, calendar, before_april, {calendar.code: calendar}, ZONE)
    mine = Outbox.key.like("msg:sw:school_year_switch:%")
    async with session.begin():
        assert await plan_switch(session, calendar, before_april, ZONE) == 1
        usual = await session.scalar(select(Outbox.due_at).where(mine))
        assert usual is not None
        await set_calendar_quiet(
            session, ctx, calendar.code, QuietHours(dt.time(6, 0), dt.time(10, 30))
        )
        moved = list(await session.scalars(select(Outbox.due_at).where(mine)))
        assert moved == [usual + dt.timedelta(minutes=30)]
        await set_calendar_quiet(session, ctx, calendar.code, None)
        assert list(await session.scalars(select(Outbox.due_at).where(mine))) == [usual]
        with pytest.raises(Refused):  # not a calendar of a curator's, nor of this deployment
            await set_calendar_quiet(session, ctx, "vpr", None)


async def test_collection_nudges_keep_the_collections_own_quiet_hours(
    session: AsyncSession, world: StageWorld
) -> None:
    """The collections' own quiet hours 09–12 move the curator's 10:00 nudges to 12:00 (their
    pending rows are planned again); another school's stay; back to general, 10:00 again."""
    curator = world.staff["curator"].user.id
    ctx = Context(curator, load_calendar(SWITCH), NOW, {}, ZONE)
    async with session.begin():
        await _operator(session, world, world.schools[1])
        collection = await open_collection(session, world.staff["regional"], DRAFT, NOW, ZONE)
        nudges = Outbox.key.like(f"msg:col:{collection.id}:nudge:%")

        async def due(user_id: int) -> list[dt.datetime]:
            rows = select(Outbox.due_at).where(nudges, Outbox.user_id == user_id)
            return sorted(await session.scalars(rows.order_by(Outbox.due_at)))

        usual = await due(curator)
        theirs = select(func.count()).where(nudges, Outbox.user_id != curator)
        others = await session.scalar(theirs)
        assert usual and others
        await set_calendar_quiet(
            session, ctx, "collections", QuietHours(dt.time(9, 0), dt.time(12, 0))
        )
        assert await due(curator) == [at + dt.timedelta(hours=2) for at in usual]
        assert await session.scalar(theirs) == others
        await set_calendar_quiet(session, ctx, "collections", None)
        assert await due(curator) == usual
