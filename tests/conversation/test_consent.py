"""Parents' consent: a parent confirms and withdraws it, a curator marks a paper form, the
missing ones are reminded at each person's local time (Sakhalin), refusals are clean."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.app import App
from models.audit import AuditEntry
from models.consent import Consent, ConsentMethod
from models.enums import PersonKind
from models.olympiad import Registration
from models.outbox import Outbox, OutboxStatus
from models.people import User
from offline.api_server import FakeBotAPI
from reminders.planner import replan_students
from tests.support.catalog_chat import enrol, link
from tests.support.chat import ChatDriver, forged_click
from tests.support.curator_chat import curator_of, schools
from ui.callbacks.consent import ConAct, ConsentCb

SAKHALIN = ZoneInfo("Asia/Sakhalin")
# The demo's mathematics school stage is held on Saturday 17 October 2026; three working days
# before it is Wednesday 14 October: the consent is due by its end in Yuzhno-Sakhalinsk.
DEADLINE = dt.datetime(2026, 10, 15, 0, 0, tzinfo=SAKHALIN)


async def register(app: App, student: User, event_id: int) -> None:
    async with app.sessionmaker() as session, session.begin():
        session.add(
            Registration(event_id=event_id, student_id=student.id, grade=student.grade or 7,
                         created_at=app.clock.now())
        )  # fmt: skip
        await session.flush()
        await replan_students(session, event_id, [student.id], app.ref.rules, app.clock.now())


async def consent_rows(app: App, student_id: int) -> list[Consent]:
    async with app.sessionmaker() as session:
        return list(await session.scalars(select(Consent).where(Consent.student_id == student_id)))


async def pending_consent_reminders(app: App, user_id: int) -> list[Outbox]:
    async with app.sessionmaker() as session:
        return list(
            await session.scalars(
                select(Outbox).where(
                    Outbox.user_id == user_id,
                    Outbox.step == "consent_due",
                    Outbox.status == OutboxStatus.PENDING,
                )
            )
        )


async def family(app: App) -> tuple[User, User, int]:
    where = await schools(app)
    ann = await enrol(app, 3101, name="Аня Петрова")
    mary = await enrol(app, 3102, name="Мария Петрова", kind=PersonKind.PARENT)
    await link(app, mary, ann)
    await register(app, ann, where.math)
    return ann, mary, where.math


async def test_a_parent_reads_the_text_and_confirms(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    ann, mary, _math = await family(app)
    assert await pending_consent_reminders(app, mary.id), "the parent is to be reminded"
    parent = make_chat(3102)
    reply = await parent.send("/consent")
    assert reply.text.startswith("Согласие родителя\n")
    assert "👤 Аня Петрова — ⏳ нужно до 14 октября, 23:59" in reply.text
    reply = await parent.click("⏳ Аня Петрова")
    assert reply.text.startswith(
        "Согласие родителя (законного представителя)\n\nЯ, Мария Петрова,"
    )
    assert "обучающегося Аня Петрова (МАОУ СОШ № 1 г. Южно-Сахалинска)" in reply.text
    assert "в 2026/27 учебном году" in reply.text
    assert reply.buttons == ["✔ Даю согласие"]
    reply = await parent.click("✔ Даю согласие")
    assert reply.text.startswith("Согласие родителя (законного представителя)")
    assert "✅ Спасибо: согласие записано." in reply.text
    assert "Аня Петрова: ✅ дано в боте 6 октября, 10:00" in reply.text
    assert reply.buttons == ["✖ Отозвать согласие"]
    [row] = await consent_rows(app, ann.id)
    assert (row.method, row.given_by_id, row.school_year) == (ConsentMethod.BOT, mary.id, 2026)
    assert row.withdrawn_at is None
    async with app.sessionmaker() as session:
        audit = (await session.scalars(select(AuditEntry.action))).all()
    assert "consent_given" in audit
    assert await pending_consent_reminders(app, mary.id) == []
    assert await pending_consent_reminders(app, ann.id) == []
    # The student's own status shows it too.
    reply = await make_chat(3101).send("/my")
    assert "📝 Согласие родителя: ✅ дано в боте 6 октября, 10:00" in reply.text


async def test_the_child_screen_offers_the_consent_and_it_can_be_withdrawn(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    ann, mary, _math = await family(app)
    parent = make_chat(3102)
    await parent.send("/children")
    reply = await parent.click("Аня Петрова")
    assert "📝 Согласие" in reply.buttons
    await parent.click("📝 Согласие")
    await parent.click("✔ Даю согласие")
    reply = await parent.click("✖ Отозвать согласие")
    assert reply.text.startswith("Отозвать согласие для: Аня Петрова?")
    reply = await parent.click("Нет, оставить")
    assert "✅ дано в боте" in reply.text
    await parent.click("✖ Отозвать согласие")
    reply = await parent.click("✔ Да, отозвать")
    assert "Согласие отозвано." in reply.text
    assert "Аня Петрова: ⏳ нужно до 14 октября, 23:59" in reply.text
    assert reply.buttons == ["✔ Даю согласие"]
    [row] = await consent_rows(app, ann.id)
    assert row.withdrawn_at is not None and row.withdrawn_by_id == mary.id
    # Withdrawn: the reminders are back.
    assert await pending_consent_reminders(app, mary.id)
    reply = await make_chat(3101).send("/consent")
    assert reply.text.startswith("Согласие родителя, 2026/27\n⏳ нужно до 14 октября, 23:59")


async def test_a_curator_marks_a_paper_form_and_takes_it_back(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 3201, where.a)
    petya = await enrol(app, None, name="Петя Сидоров")  # a record without Telegram
    await register(app, petya, where.math)
    ann, _mary, _ = await family(app)
    chat = make_chat(3201)
    reply = await chat.send("/consent")
    assert "Записаны на школьный этап: 2 · без согласия: 2" in reply.text
    assert "Аня Петрова — ⏳ нужно до 14 октября, 23:59 · родитель в боте" in reply.text
    # Only the student without a parent in the bot gets a paper-form button.
    assert reply.buttons == ["📄 Бланк получен: Петя Сидоров"]
    reply = await chat.click("📄 Бланк получен: Петя Сидоров")
    assert "📄 Бумажное согласие: Петя Сидоров — отмечено как полученное." in reply.text
    assert "без согласия: 1" in reply.text
    assert "Петя Сидоров — ✅ бумажный бланк получен 6 октября, 10:00" in reply.text
    [row] = await consent_rows(app, petya.id)
    assert row.method == ConsentMethod.PAPER and row.withdrawn_at is None
    reply = await chat.click("↩ Снять отметку: Петя Сидоров")
    assert "Отметка о бумажном согласии снята: Петя Сидоров." in reply.text
    [row] = await consent_rows(app, petya.id)
    assert row.withdrawn_at is not None
    # A forged mark for a student with a parent in the bot is refused.
    data = ConsentCb(act=ConAct.MARK, id=ann.id, sc=where.a).pack()
    reply = await forged_click(chat, data)
    assert reply.alert == "Родитель этого ученика подключён к боту: он подтверждает согласие сам."
    assert await consent_rows(app, ann.id) == []
    # The school overview counts the missing ones and leads to the list.
    await chat.send("/school")
    reply = await chat.click("Сводка по предметам")
    assert "📝 Без согласия родителя: 2 из 2 записанных учеников (/consent)." in reply.text
    reply = await chat.click("📝 Согласия родителей")
    assert "Записаны на школьный этап: 2 · без согласия: 2" in reply.text
    async with app.sessionmaker() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert {"consent_paper_marked", "consent_paper_unmarked"} <= set(actions)


async def test_a_curator_of_another_school_is_refused(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    await curator_of(app, 3301, where.b)  # the gymnasium's curator
    petya = await enrol(app, None, name="Петя Сидоров")  # of СОШ № 1
    await register(app, petya, where.math)
    vera = await enrol(app, None, name="Вера Зайцева", school="gym1")
    await register(app, vera, where.math)
    chat = make_chat(3301)
    reply = await chat.send("/consent")
    assert "Вера Зайцева" in reply.text and "Петя" not in reply.text
    forbidden = "У вас нет прав на это действие."
    not_ours = "Этого ученика больше нет в списке школы."
    for act, school, alert in (
        (ConAct.MARK, where.a, forbidden),  # another school's id
        (ConAct.MARK, where.b, not_ours),  # own school's id, another school's student
        (ConAct.SCHOOL, where.a, forbidden),
        (ConAct.UNMARK, where.a, forbidden),
    ):
        data = ConsentCb(act=act, id=school if act == ConAct.SCHOOL else petya.id, sc=school)
        reply = await forged_click(chat, data.pack())
        assert reply.alert == alert, (act, school, reply.alert)
    assert await consent_rows(app, petya.id) == []
    # A parent not linked to the child cannot give it either.
    await enrol(app, 3302, name="Чужой Родитель", kind=PersonKind.PARENT)
    stranger = make_chat(3302)
    await stranger.send("/children")  # a screen with buttons to press under
    reply = await forged_click(stranger, ConsentCb(act=ConAct.GIVE, id=petya.id).pack())
    assert reply.alert == "Этот ребёнок не связан с вашим аккаунтом."
    assert await consent_rows(app, petya.id) == []


async def test_bad_callback_data_is_refused_cleanly(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    ann, _mary, _ = await family(app)
    parent = make_chat(3102)
    await parent.send("/consent")
    for data in ("cn:zz:1:0:0", "cn:g:99999999999:0:0", "cn:g:-1:0:0", "cn:g", "cn:m:x:y:z"):
        reply = await forged_click(parent, data)
        assert reply.alert == "Эта кнопка устарела. Отправьте /help, чтобы начать заново.", data
    assert await consent_rows(app, ann.id) == []


async def test_reminders_reach_the_missing_ones_at_their_local_time(
    app: App, make_chat: Callable[..., ChatDriver], fake_api: FakeBotAPI
) -> None:
    where = await schools(app)
    await curator_of(app, 3401, where.a)
    for tg_id in (3401, 3101, 3102):  # the chats the reminders go to
        make_chat(tg_id)
    ann, mary, math = await family(app)
    boris = await enrol(app, 3103, name="Борис Иванов")
    olga = await enrol(app, 3104, name="Ольга Иванова", kind=PersonKind.PARENT)
    await link(app, olga, boris)
    await register(app, boris, math)
    await make_chat(3104).send("/consent")
    await make_chat(3104).click("⏳ Борис Иванов")
    await make_chat(3104).click("✔ Даю согласие")
    before = {tg: len(fake_api.bot_messages(tg)) for tg in (3101, 3102, 3103, 3104, 3401)}
    # Mary's reminders: three days and one day before the deadline, moved out of the night.
    rows = sorted(r.due_at for r in await pending_consent_reminders(app, mary.id))
    assert [r.astimezone(SAKHALIN) for r in rows] == [
        dt.datetime(2026, 10, 12, 8, 0, tzinfo=SAKHALIN),  # 00:00 is quiet: at 08:00
        dt.datetime(2026, 10, 14, 8, 0, tzinfo=SAKHALIN),
    ]
    curator_rows = sorted(
        r.due_at for r in await pending_consent_reminders(app, (await user(app, 3401)).id)
    )
    assert [r.astimezone(SAKHALIN) for r in curator_rows] == [
        dt.datetime(2026, 10, 8, 8, 0, tzinfo=SAKHALIN),  # a week before, after quiet hours
        dt.datetime(2026, 10, 14, 8, 0, tzinfo=SAKHALIN),
    ]
    app.clock.set(dt.datetime(2026, 10, 8, 8, 1, tzinfo=SAKHALIN))  # type: ignore[attr-defined]
    await app.deliver_due()
    [digest] = fake_api.bot_messages(3401)[before[3401] :]
    assert "Срок согласия родителя — Согласие на участие в олимпиаде" in digest.text
    assert "Аня Петрова" in digest.text and "Борис" not in digest.text
    app.clock.set(dt.datetime(2026, 10, 12, 8, 1, tzinfo=SAKHALIN))  # type: ignore[attr-defined]
    sent = await app.deliver_due()
    assert sent >= 2 and await app.deliver_due() == 0  # nothing doubled
    [to_mary] = fake_api.bot_messages(3102)[before[3102] :]
    assert to_mary.text.startswith("⏰ Срок согласия родителя — Согласие на участие в олимпиаде")
    assert "15 октября" not in to_mary.text and "14 октября 2026, 23:59" in to_mary.text
    assert "Согласия ещё нет:\n• Аня Петрова" in to_mary.text
    [to_ann] = fake_api.bot_messages(3101)[before[3101] :]
    assert "Аня Петрова" in to_ann.text
    # Those who consented hear nothing.
    assert len(fake_api.bot_messages(3103)) == before[3103]
    assert len(fake_api.bot_messages(3104)) == before[3104]
    # Mary consents now: the last reminder (14 October, 08:00) is not sent to anyone.
    parent = make_chat(3102)
    await parent.send("/consent")
    await parent.click("⏳ Аня Петрова")
    await parent.click("✔ Даю согласие")
    counts = {tg: len(fake_api.bot_messages(tg)) for tg in (3101, 3102, 3401)}
    app.clock.set(DEADLINE - dt.timedelta(minutes=5))  # type: ignore[attr-defined]
    await app.deliver_due()
    assert {tg: len(fake_api.bot_messages(tg)) for tg in (3101, 3102, 3401)} == counts


async def user(app: App, tg_id: int) -> User:
    async with app.sessionmaker() as session:
        found = await session.scalar(select(User).where(User.tg_id == tg_id))
    assert found is not None
    return found


async def test_nothing_about_consent_is_logged(
    app: App, make_chat: Callable[..., ChatDriver], caplog: pytest.LogCaptureFixture
) -> None:
    where = await schools(app)
    await curator_of(app, 3501, where.a)
    petya = await enrol(app, None, name="Петя Сидоров")
    with caplog.at_level(logging.INFO):  # what a deployment writes (LOG_LEVEL=INFO)
        await register(app, petya, where.math)
        ann, _mary, _ = await family(app)
        parent = make_chat(3102)
        await parent.send("/consent")
        await parent.click("⏳ Аня Петрова")
        await parent.click("✔ Даю согласие")
        await parent.click("✖ Отозвать согласие")
        await parent.click("✔ Да, отозвать")
        curator = make_chat(3501)
        await curator.send("/consent")
        await curator.click("📄 Бланк получен: Петя Сидоров")
        for tg_id in (3101, 3102, 3501):
            make_chat(tg_id)
        # Petya's paper form is in: the curator's last digest is dropped at sending time.
        app.clock.set(dt.datetime(2026, 10, 14, 8, 1, tzinfo=SAKHALIN))  # type: ignore[attr-defined]
        assert await app.deliver_due() > 0
    assert caplog.records, "the flow logs something, so the check below can fail"
    standard = set(vars(logging.makeLogRecord({})))
    for record in caplog.records:
        extras = {k: v for k, v in vars(record).items() if k not in standard}
        logged = f"{record.getMessage()} {extras}".lower()
        for word in ("consent", "согласи", "аня", "петя", "мария", ann.full_name.lower()):
            assert word not in logged, (word, record.getMessage())
    async with app.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Consent)) == 2


async def test_a_parent_confirms_in_english(
    app: App, make_chat: Callable[..., ChatDriver]
) -> None:
    where = await schools(app)
    pete = await enrol(app, 3601, name="Pete Brown", locale="en")
    mary = await enrol(app, 3602, name="Mary Brown", kind=PersonKind.PARENT, locale="en")
    await link(app, mary, pete)
    await register(app, pete, where.math)
    parent = make_chat(3602, language_code="en")
    reply = await parent.send("/consent")
    assert reply.text.startswith("Parent's consent\n")
    assert "👤 Pete Brown — ⏳ needed by 14 October, 23:59" in reply.text
    reply = await parent.click("⏳ Pete Brown")
    assert reply.text.startswith("Consent of a parent (legal representative)\n\nI, Mary Brown,")
    assert "in the 2026/27 school year" in reply.text
    reply = await parent.click("✔ I consent")
    assert "✅ Thank you: the consent is recorded." in reply.text
    assert "Pete Brown: ✅ given in the bot 6 October, 10:00" in reply.text
    reply = await make_chat(3601, language_code="en").send("/consent")
    assert reply.text.startswith("Parent's consent, 2026/27\n✅ given in the bot 6 October, 10:00")
