"""What a coordinator does from the panel: change a status, nudge lagging schools, publish
results. Each is a preview and a confirmation, as in the chat, and each calls the services the
chat calls: the same authorisation, audit, and notices through the outbox.
"""

from __future__ import annotations

from aiohttp import web

from handlers.refusals import reason_text
from models.bounds import parse_id
from models.enums import EventStatus
from services.dashboard.nudge import lagging_schools, nudge_lagging
from services.errors import Refused
from services.results.cards import event_card
from services.results.publish import publish
from services.stage.status import Selection, apply_change, preview_change
from services.stage.views import status_view
from ui.templating import render
from webapp.context import Ctx, ctx_of
from webapp.panel import html

CONFLICT = 409
LIMIT = 30


async def _form(request: web.Request) -> tuple[Ctx, dict[str, str]]:
    form = await request.post()
    return ctx_of(request), {k: str(v) for k, v in form.items()}


def _event_id(form: dict[str, str]) -> int:
    found = parse_id(form.get("event_id", ""))
    if found is None:
        raise Refused("stale_choice")
    return found


def refusal(exc: Refused) -> web.Response:
    return html(render("webapp/notice.html", ok=False, text=reason_text(exc)), CONFLICT)


async def status_preview(request: web.Request) -> web.Response:
    ctx, form = await _form(request)
    try:
        target = EventStatus(form.get("target", ""))
        selection = Selection(event_id=_event_id(form))
        preview = await preview_change(ctx.session, ctx.ident, selection, target, ctx.now)
    except ValueError:
        return refusal(Refused("stale_choice"))
    except Refused as exc:
        return _or_raise(exc)
    event = next(iter(preview.events.values()))
    view = status_view(preview, ctx.locale)
    text = render(
        "status/preview.html",
        what=event.subject(ctx.locale),
        reason=None,
        limit=LIMIT,
        web=True,
        **view,
    )
    return html(
        render(
            "webapp/confirm.html",
            text=text,
            action="status/apply",
            fields={"event_id": event.id, "target": str(target), "fp": preview.plan.fingerprint()},
            needs_reason=preview.plan.needs_reason,
            ready=bool(preview.plan.changes),
        )
    )


async def status_apply(request: web.Request) -> web.Response:
    ctx, form = await _form(request)
    try:
        target = EventStatus(form.get("target", ""))
        applied = await apply_change(
            ctx.session,
            ctx.ident,
            Selection(event_id=_event_id(form)),
            target,
            fingerprint=form.get("fp", ""),
            reason=form.get("reason"),
            rules=ctx.host.ref.rules,
            now=ctx.now,
        )
    except ValueError:
        return refusal(Refused("stale_choice"))
    except Refused as exc:
        return _or_raise(exc)
    text = render(
        "status/done.html", changed=applied.changed, notified=applied.notified, target=target
    )
    return html(render("webapp/notice.html", ok=True, text=text))


async def nudge_preview(request: web.Request) -> web.Response:
    ctx, form = await _form(request)
    try:
        event_id = _event_id(form)
        found, _ = await lagging_schools(
            ctx.session, ctx.ident, event_id, rules=ctx.host.ref.rules
        )
    except Refused as exc:
        return _or_raise(exc)
    text = render("webapp/nudge_preview.html", found=found, limit=LIMIT)
    return html(
        render(
            "webapp/confirm.html",
            text=text,
            action="nudge/apply",
            fields={"event_id": event_id},
            needs_reason=False,
            ready=bool(found.school_ids),
        )
    )


async def nudge_apply(request: web.Request) -> web.Response:
    ctx, form = await _form(request)
    try:
        queued = await nudge_lagging(
            ctx.session, ctx.ident, _event_id(form), rules=ctx.host.ref.rules, now=ctx.now
        )
    except Refused as exc:
        return _or_raise(exc)
    text = render("webapp/nudged.html", queued=queued)
    return html(render("webapp/notice.html", ok=True, text=text))


async def publish_preview(request: web.Request) -> web.Response:
    ctx, form = await _form(request)
    try:
        card = await event_card(ctx.session, ctx.ident, _event_id(form), ctx.locale)
        if not card.organiser:
            raise Refused("forbidden")
    except Refused as exc:
        return _or_raise(exc)
    return html(
        render(
            "webapp/confirm.html",
            text=render("results/publish.html", card=card),
            action="publish/apply",
            fields={"event_id": card.id},
            needs_reason=False,
            ready=card.published_at is None and card.scored > 0,
        )
    )


async def publish_apply(request: web.Request) -> web.Response:
    ctx, form = await _form(request)
    try:
        done = await publish(ctx.session, ctx.ident, _event_id(form), ctx.now)
    except Refused as exc:
        return _or_raise(exc)
    text = render("webapp/published.html", done=done)
    return html(render("webapp/notice.html", ok=True, text=text))


def _or_raise(exc: Refused) -> web.Response:
    """A scope violation is the middleware's 403; anything else is said in the person's words."""
    if exc.reason == "forbidden":
        raise exc
    return refusal(exc)
