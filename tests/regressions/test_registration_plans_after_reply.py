"""A press on «Записаться» re-planned the student's reminders (and the school's consent digests)
inside its own transaction: on SQLite the write lock was held for the whole planning, about
60 ms a press, so 200 students pressing at once were answered one after another (17 presses/s,
p99 11.6 s in `bench.writes`). Now the press commits the registration with a plan request, the
user is answered, and the planning runs after that, in a transaction of its own; when the
update ends the reminders are planned."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.app import App
from models.outbox import Outbox
from models.people import User
from models.plan_requests import PlanRequest
from offline.api_server import FakeBotAPI
from reminders import plan_queue
from tests.support.catalog_chat import enrol, extra_routers
from tests.support.chat import ChatDriver

__all__ = ["extra_routers"]  # fixture used here


async def test_the_press_is_answered_before_its_planning_runs(
    app: App, chat: ChatDriver, fake_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    await enrol(app, chat.user_id)
    await chat.send("/events")
    await chat.click("Математика · школьный")
    answered_at_planning: list[int] = []
    real = plan_queue.plan_waiting

    async def watched(*args: object, **kwargs: object) -> int:
        answers = [c for c in fake_api.calls if c.method == "answerCallbackQuery"]
        answered_at_planning.append(len(answers))
        return await real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(plan_queue, "plan_waiting", watched)
    answered = len([c for c in fake_api.calls if c.method == "answerCallbackQuery"])
    reply = await chat.click("✍️ Записаться")
    assert reply.text.startswith("✅ Вы записаны.")
    assert answered_at_planning, "the press planned nothing after its commit"
    assert answered_at_planning[0] == answered + 1, "planning ran before the press was answered"
    async with app.sessionmaker() as session:
        me = await session.scalar(select(User.id).where(User.tg_id == chat.user_id))
        waiting = await session.scalar(select(func.count()).select_from(PlanRequest))
        planned = await session.scalar(
            select(func.count(Outbox.id)).where(Outbox.user_id == me, Outbox.step == "stage_day")
        )
    assert waiting == 0
    assert planned, "the update ended with the student's reminders unplanned"
