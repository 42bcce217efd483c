"""Planning rows from steps and recipients (pure): idempotent keys, audiences, mutes, grades."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import default_rules
from calendars.schema import Audience
from models.enums import Level
from models.outbox import OutboxKind
from reminders.plan import Recipient, rows_for_event
from reminders.prefs import DEFAULT_PREFS, Prefs
from reminders.quiet import QuietHours

RULES = default_rules()
D = dt.date(2026, 10, 1)
ZONES = ["Asia/Sakhalin", "Asia/Tomsk", "Europe/Moscow", "Europe/Berlin", "America/New_York"]


def person(user_id: int, audience: Audience, **more: object) -> Recipient:
    values: dict[str, object] = {
        "user_id": user_id, "audience": audience, "step_zone": "Asia/Sakhalin",
        "zone": "Asia/Sakhalin", "held_on": D, "prefs": DEFAULT_PREFS,
    }  # fmt: skip
    values.update(more)
    return Recipient(**values)  # type: ignore[arg-type]


def test_each_audience_gets_its_steps() -> None:
    rows = rows_for_event(7, Level.SCHOOL, [
        person(1, Audience.STUDENT, only_steps=frozenset({"registration_closes"})),
        person(2, Audience.CURATOR),
        person(3, Audience.ORGANISER),
    ], RULES)  # fmt: skip
    by_user: dict[int, list[tuple[str, str]]] = {}
    for row in rows.values():
        by_user.setdefault(row.user_id, []).append((row.kind.value, row.step))
    assert sorted(by_user[1]) == [("reminder", "registration_closes")]
    assert (
        sorted(by_user[2])
        == [("reminder", "registration_closes")] * 2 + [("reminder", "results_due")] * 2
    )  # a week and a day before each deadline of the school
    assert sorted(by_user[3]) == [
        ("check", "close_control"),
        ("check", "registration_control"),
        ("check", "results_control"),
    ]


def test_keys_name_kind_recipient_event_step_and_instant() -> None:
    rows = rows_for_event(7, Level.SCHOOL, [person(1, Audience.STUDENT)], RULES)
    assert sorted(rows) == [
        "reminder:1:7:registration_closes:20260925T2100",  # 08:00 on the last day (UTC+11)
        "reminder:1:7:stage_day:20260930T0800",  # 19:00 the evening before
        "reminder:1:7:stage_day:20260930T2100",  # 08:00 on the day
    ]
    assert all(row.due_at < row.step_at for row in rows.values())
    assert all(row.expires_at == row.step_at for row in rows.values())


def test_grade_dates_move_a_students_steps() -> None:
    early = person(1, Audience.STUDENT, held_on=dt.date(2026, 9, 20))
    late = person(2, Audience.STUDENT, held_on=dt.date(2026, 10, 20))
    rows = rows_for_event(7, Level.SCHOOL, [early, late], RULES).values()
    stage = {r.user_id: r.step_at for r in rows if r.step == "stage_day"}
    assert stage[2] - stage[1] == dt.timedelta(days=30)


def test_muted_steps_are_not_planned() -> None:
    muted = person(1, Audience.CURATOR, muted_steps=frozenset({"results_due"}))
    rows = rows_for_event(7, Level.SCHOOL, [muted], RULES).values()
    assert {r.step for r in rows} == {"registration_closes"}


def test_control_points_become_one_report_each_moved_out_of_quiet_hours() -> None:
    rows = rows_for_event(7, Level.SCHOOL, [person(3, Audience.ORGANISER)], RULES).values()
    control = next(r for r in rows if r.step == "registration_control")
    assert control.kind == OutboxKind.CHECK
    # 23:59 on D − 5 is quiet: the report comes at 08:00 the next morning.
    assert control.due_at == dt.datetime(2026, 9, 26, 21, 0, tzinfo=dt.UTC)
    assert control.expires_at > control.due_at


prefs = st.builds(
    Prefs,
    offsets=st.none() | st.lists(
        st.integers(1, 20 * 24 * 60).map(lambda m: dt.timedelta(minutes=m)), max_size=3
    ).map(tuple),
    quiet=st.sampled_from([QuietHours(dt.time(22), dt.time(8)), QuietHours(dt.time(0), dt.time(0)),
                           QuietHours(dt.time(21, 30), dt.time(9, 15))]),
    digest_at=st.none() | st.sampled_from([dt.time(8), dt.time(19, 30)]),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    people=st.lists(
        st.builds(
            person,
            st.integers(1, 50),
            st.sampled_from(list(Audience)),
            zone=st.sampled_from(ZONES),
            step_zone=st.sampled_from(ZONES),
            prefs=prefs,
            held_on=st.dates(dt.date(2026, 9, 1), dt.date(2027, 4, 30)),
        ),
        max_size=8,
    ),
    level=st.sampled_from(list(Level)),
)
def test_planning_is_idempotent_and_never_late(people: list[Recipient], level: Level) -> None:
    first = rows_for_event(7, level, people, RULES)
    again = rows_for_event(7, level, list(reversed(people)), RULES)
    assert first.keys() == again.keys()
    for key, row in first.items():
        assert row.key == key
        assert row.due_at <= row.expires_at
        if row.kind == OutboxKind.REMINDER:
            assert row.due_at < row.step_at
