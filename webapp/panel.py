"""The panel itself: the page shell, and the server-rendered panel the shell loads with the
person's initData (a coordinator's stage, or a curator's school)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from calendars.school_year import school_year_label
from handlers.overview import deadline_text
from models.bounds import parse_id
from models.enums import EventStatus, Level
from services.authz import Action, may_act_somewhere
from services.curator.overview import school_overview
from services.curator.school import curated_school_ids, curated_schools, grade_counts
from services.dashboard.filters import (
    PanelFilter,
    authorize_filter,
    municipalities,
    subject_choices,
)
from services.dashboard.panels import area_lines, schools_of, stage_panel
from services.dashboard.places import schools_panel, subject_panel
from services.dashboard.search import find_students
from services.errors import Refused
from services.rules.lifecycle import ORDER
from ui.templating import render
from webapp.calendars import OLYMPIAD, calendar_html, sections
from webapp.context import Ctx, ctx_of, host_of

STATIC_DIR = Path(__file__).resolve().parent / "static"


def html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


async def shell(request: web.Request) -> web.Response:
    """The page Telegram opens; it holds no data (the initData is read by its script)."""
    host = host_of(request)
    locale = host.policy.default_locale
    with host.i18n.context(), host.i18n.use_locale(locale):
        return html(render("webapp/shell.html", locale=locale))


def chosen_filter(query: dict[str, str] | web.Request) -> PanelFilter:
    params = query.query if isinstance(query, web.Request) else query
    level = params.get("level", "")

    def number(name: str) -> int | None:
        return parse_id(params.get(name, "")) if params.get(name) else None

    return PanelFilter(
        level=Level(level) if level in set(Level) else None,
        subject_id=number("subject"),
        municipality_id=number("municipality"),
        school_id=number("school"),
        query=params.get("q", ""),
    )


async def panel(request: web.Request) -> web.Response:
    """The olympiad's panel (a coordinator's stage or a curator's school); a person who
    follows only the data calendars gets the first of them."""
    ctx = ctx_of(request)
    if may_act_somewhere(ctx.ident, Action.VIEW_OVERVIEW):
        return html(await coordinator_panel(ctx, chosen_filter(request)))
    if curated_school_ids(ctx.ident):
        return html(await curator_panel(ctx, request.query.get("school", "")))
    found = sections(ctx, olympiad=False)
    if not found:
        raise Refused("forbidden")
    return html(await calendar_html(ctx, found[0][0], request, olympiad=False))


async def coordinator_panel(ctx: Ctx, chosen: PanelFilter) -> str:
    """The first screen is one query (the stage); schools and a school's subjects are read
    once the filter names a municipality, a school or a search, or the scope is one
    municipality."""
    session, ident, now, locale = ctx.session, ctx.ident, ctx.now, ctx.locale
    place = await authorize_filter(session, ident, chosen)
    rules = ctx.host.ref.rules
    stage = await stage_panel(session, ident, chosen, place, rules=rules, locale=locale, now=now)
    areas = await municipalities(session, ident)
    subjects = stage.subjects
    if place.school_id is not None:
        subjects = await subject_panel(session, ident, chosen, place, locale=locale, now=now)
    by_school = bool(place.municipality_id or chosen.search) or len(areas) <= 1
    if by_school:
        places = await schools_panel(session, ident, chosen, place, now=now)
    else:
        places = schools_of(area_lines(stage, areas, ""))
    return render(
        "webapp/coordinator.html",
        sections=sections(ctx, olympiad=True),
        current=OLYMPIAD,
        chosen=chosen,
        stage=stage,
        subjects=subjects,
        top=max((s.registered for s in subjects), default=0),
        schools=places,
        by_school=by_school,
        students=await find_students(session, ident, place, chosen.search),
        municipalities=areas,
        subject_choices=await subject_choices(session, locale),
        levels=[str(level) for level in Level],
        locale=locale,
        tz=ident.user.timezone or ctx.host.policy.default_zone,
        deadline=deadline_text,
        targets=status_targets,
        year_label=school_year_label,
    )


def status_targets(current: str) -> list[str]:
    """The statuses an event can be moved to, the next one forward first."""
    order = [str(s) for s in (*ORDER, EventStatus.CANCELLED) if s != EventStatus.DRAFT]
    later = [
        s
        for s in order
        if s != current and (current not in order or order.index(s) > order.index(current))
    ]
    return later + [s for s in order if s != current and s not in later]


async def curator_panel(ctx: Ctx, school: str) -> str:
    """One of the curator's schools (the first unless they chose another), with a choice of
    the others when there are several."""
    ids = curated_school_ids(ctx.ident)
    school_id = parse_id(school) if school else ids[0]
    if school_id is None:
        raise Refused("forbidden")
    rules = ctx.host.ref.rules
    view = await school_overview(ctx.session, ctx.ident, school_id, rules=rules, now=ctx.now)
    _, grades = await grade_counts(ctx.session, ctx.ident, school_id)
    choices = await curated_schools(ctx.session, ctx.ident) if len(ids) > 1 else []
    return render(
        "webapp/curator.html",
        sections=sections(ctx, olympiad=True),
        current=OLYMPIAD,
        schools=choices,
        view=view,
        grades=grades,
        locale=ctx.locale,
        tz=ctx.ident.user.timezone or view.school.zone,
        deadline=deadline_text,
    )
