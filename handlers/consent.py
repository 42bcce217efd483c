"""/consent: a parent reads the consent text for a child and confirms (or withdraws it); a
student sees where theirs stands; a curator sees the school's list and marks paper forms."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from calendars.school_year import school_year_label
from handlers.curator import deadline_text
from handlers.keyboards import consent as kbs
from handlers.ui import show
from models.enums import PersonKind
from models.geo import School
from services.authz import Action
from services.consent import actions
from services.consent.school import school_consents
from services.consent.state import consent_state, year_for
from services.consent.text import consent_text
from services.curator.school import curated_school_ids, curated_schools, open_school
from services.parents import links as parents
from services.people.viewer import Policy, Viewer
from services.reference.loader import ReferenceData
from ui.callbacks.consent import ConAct, ConsentCb
from ui.templating import render

router = Router(name=__name__)


async def children_screen(
    session: AsyncSession, viewer: Viewer, policy: Policy, ref: ReferenceData
) -> tuple[str, InlineKeyboardMarkup | None]:
    children = await parents.children_of(session, viewer.user.id)
    if not children:
        return render("parents/none.html"), None
    states = []
    for child in children:
        user = await parents.child_of(session, viewer.user, child.id)
        states.append(
            await consent_state(session, user, ref.rules, viewer.now, policy.default_zone)
        )
    text = render("consent/children.html", states=states, when=deadline_text(viewer.zone))
    return text, kbs.children_kb(states)


async def child_screen(
    session: AsyncSession,
    viewer: Viewer,
    policy: Policy,
    ref: ReferenceData,
    child_id: int,
    done: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    child = await parents.child_of(session, viewer.user, child_id)
    state = await consent_state(session, child, ref.rules, viewer.now, policy.default_zone)
    school = await session.get(School, child.school_id) if child.school_id else None
    text = consent_text(
        ref.consent_templates,
        viewer.locale,
        parent=viewer.user.full_name,
        student=child.full_name,
        school=school.name if school else None,
        year=school_year_label(state.school_year),
    )
    status = render("consent/state.html", state=state, when=deadline_text(viewer.zone), done=done)
    several = len(await parents.children_of(session, viewer.user.id)) > 1
    return f"{text}\n\n{status}", kbs.child_kb(state, several)


async def school_screen(
    session: AsyncSession,
    viewer: Viewer,
    ref: ReferenceData,
    school_id: int,
    page: int = 0,
    done: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    found = await school_consents(session, viewer.ident, school_id, viewer.now, ref.rules, page)
    text = render(
        "consent/school.html",
        found=found,
        year=school_year_label(found.year),
        when=deadline_text(found.school.zone),
        done=done,
    )
    return text, kbs.school_kb(found)


@router.message(Command("consent"))
async def cmd_consent(
    message: Message, session: AsyncSession, viewer: Viewer, policy: Policy, ref: ReferenceData
) -> None:
    me = viewer.user
    if me.kind == PersonKind.PARENT:
        text, markup = await children_screen(session, viewer, policy, ref)
    elif curated_school_ids(viewer.ident):
        schools = await curated_schools(session, viewer.ident)
        if len(schools) > 1:
            text, markup = render("consent/schools.html"), kbs.schools_kb(schools)
        else:
            text, markup = await school_screen(session, viewer, ref, schools[0].id)
    else:
        state = await consent_state(session, me, ref.rules, viewer.now, policy.default_zone)
        text, markup = (
            render(
                "consent/own.html",
                state=state,
                when=deadline_text(viewer.zone),
                year=school_year_label(state.school_year),
            ),
            None,
        )
    await message.answer(text, reply_markup=markup)


@router.callback_query(ConsentCb.filter(F.act == ConAct.LIST))
async def on_list(
    cq: CallbackQuery, session: AsyncSession, viewer: Viewer, policy: Policy, ref: ReferenceData
) -> None:
    await show(cq, *await children_screen(session, viewer, policy, ref))


@router.callback_query(ConsentCb.filter(F.act == ConAct.OPEN))
async def on_open(
    cq: CallbackQuery,
    callback_data: ConsentCb,
    session: AsyncSession,
    viewer: Viewer,
    policy: Policy,
    ref: ReferenceData,
) -> None:
    await show(cq, *await child_screen(session, viewer, policy, ref, callback_data.id))


@router.callback_query(ConsentCb.filter(F.act == ConAct.GIVE))
async def on_give(
    cq: CallbackQuery,
    callback_data: ConsentCb,
    session: AsyncSession,
    viewer: Viewer,
    policy: Policy,
    ref: ReferenceData,
) -> None:
    child = await parents.child_of(session, viewer.user, callback_data.id)
    year = await year_for(session, child, viewer.now, policy.default_zone)
    await actions.parent_gives(
        session, viewer.ident, child.id, year, viewer.now, ref.rules, policy.default_zone
    )
    done = _("✅ Thank you: the consent is recorded.")
    await show(cq, *await child_screen(session, viewer, policy, ref, child.id, done))


@router.callback_query(ConsentCb.filter(F.act == ConAct.WITHDRAW))
async def on_withdraw(
    cq: CallbackQuery, callback_data: ConsentCb, session: AsyncSession, viewer: Viewer
) -> None:
    child = await parents.child_of(session, viewer.user, callback_data.id)
    await show(
        cq,
        render("consent/withdraw_confirm.html", name=child.full_name),
        kbs.withdraw_kb(child.id),
    )


@router.callback_query(ConsentCb.filter(F.act == ConAct.WITHDRAW_OK))
async def on_withdraw_ok(
    cq: CallbackQuery,
    callback_data: ConsentCb,
    session: AsyncSession,
    viewer: Viewer,
    policy: Policy,
    ref: ReferenceData,
) -> None:
    child = await parents.child_of(session, viewer.user, callback_data.id)
    year = await year_for(session, child, viewer.now, policy.default_zone)
    await actions.parent_withdraws(
        session, viewer.ident, child.id, year, viewer.now, ref.rules, policy.default_zone
    )
    done = _("The consent is withdrawn.")
    await show(cq, *await child_screen(session, viewer, policy, ref, child.id, done))


@router.callback_query(ConsentCb.filter(F.act == ConAct.SCHOOL))
async def on_school(
    cq: CallbackQuery,
    callback_data: ConsentCb,
    session: AsyncSession,
    viewer: Viewer,
    ref: ReferenceData,
) -> None:
    screen = await school_screen(session, viewer, ref, callback_data.id, callback_data.pg)
    await show(cq, *screen)


@router.callback_query(ConsentCb.filter(F.act.in_({ConAct.MARK, ConAct.UNMARK})))
async def on_mark(
    cq: CallbackQuery,
    callback_data: ConsentCb,
    session: AsyncSession,
    viewer: Viewer,
    policy: Policy,
    ref: ReferenceData,
) -> None:
    school = await open_school(session, viewer.ident, callback_data.sc, Action.MARK_CONSENT)
    year = school.school_year(viewer.now)
    act = actions.curator_marks if callback_data.act == ConAct.MARK else actions.curator_unmarks
    student = await act(
        session,
        viewer.ident,
        school.id,
        callback_data.id,
        year,
        viewer.now,
        ref.rules,
        policy.default_zone,
    )
    if callback_data.act == ConAct.MARK:
        done = _("📄 The paper form of %(name)s is marked received.") % {"name": student.full_name}
    else:
        done = _("The paper mark of %(name)s is taken back.") % {"name": student.full_name}
    await show(cq, *await school_screen(session, viewer, ref, school.id, done=done))
