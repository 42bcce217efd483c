"""The data calendars' pure rules: which ВПР archive a work gets, the steps of a plan work across
zones, month ends and the year boundary (seed 003), the lagging order, the buttons' size."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from models.calendar_steps import PlanWork
from services.calendar_steps.board import Lag, lagging_first
from services.calendar_steps.items import MARKABLE, VPR, passport_items, vpr_track, work_items
from services.calendar_steps.places import Place
from tests.support.reference import reference
from ui.callbacks.calendar_steps import CALENDAR_LETTERS, CsAct, CsCb

MOSCOW = ZoneInfo("Europe/Moscow")
ZONES = ["Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Tomsk", "Asia/Sakhalin",
         "Asia/Kamchatka"]  # fmt: skip
SUBJECTS = ["Русский язык", "Математика", "История", "Биология", "Окружающий мир", "Физика"]


@pytest.mark.parametrize(
    ("subject", "grade", "track"),
    [
        ("Русский язык", 4, "open_archive"),
        ("Окружающий мир", 4, "open_archive"),
        ("Математика", 5, "open_archive"),
        ("русский язык", 5, "open_archive"),
        ("История", 5, "encrypted_archive"),
        ("Биология", 5, "encrypted_archive"),
        ("Математика", 6, "encrypted_archive"),
        ("Математика", 8, "encrypted_archive"),  # grade 8: "other grades"
        ("Физика", 11, "encrypted_archive"),
    ],
)
def test_the_archive_a_work_gets(subject: str, grade: int, track: str) -> None:
    assert vpr_track(subject, grade) == track


def _work(subject: str, grade: int, work_on: dt.date, upload_on: dt.date) -> PlanWork:
    return PlanWork(
        id=7, calendar=VPR, scope_key="r1", region_id=1, subject=subject, grade=grade,
        track=vpr_track(subject, grade), work_on=work_on, upload_on=upload_on,
    )  # fmt: skip


def _end_of(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=ZoneInfo(zone))


@settings(max_examples=200, deadline=None)
@given(
    work_on=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2032, 12, 31)),
    after=st.integers(min_value=0, max_value=20),
    zone=st.sampled_from(ZONES),
    subject=st.sampled_from(SUBJECTS),
    grade=st.integers(min_value=4, max_value=11),
)
@example(dt.date(2027, 1, 1), 0, "Asia/Kamchatka", "История", 6)  # key: 2026 in UTC
@example(dt.date(2026, 12, 31), 1, "Asia/Sakhalin", "Математика", 5)  # U in the next year
@example(dt.date(2028, 3, 2), 0, "Europe/Kaliningrad", "Математика", 4)  # W-4: 27 Feb, leap
@example(dt.date(2027, 4, 30), 1, "Asia/Tomsk", "История", 7)  # U on 1 May
def test_a_plan_works_steps(  # noqa: PLR0913 - hypothesis draws each
    work_on: dt.date, after: int, zone: str, subject: str, grade: int
) -> None:
    upload_on = work_on + dt.timedelta(days=after)
    work = _work(subject, grade, work_on, upload_on)
    items = work_items(reference().calendars[VPR], [work], zone)
    steps = {item.rule.code: item for item in items}
    assert [i.step.due_at for i in items] == sorted(i.step.due_at for i in items)
    assert all(item.item == f"7.{item.rule.code}" for item in items)
    open_archive = work.track == "open_archive"
    days_before = 4 if open_archive else 3
    materials = steps["materials_available"].step
    assert materials.due_at == _end_of(work_on - dt.timedelta(days=days_before), zone)
    local = ZoneInfo(zone)
    if open_archive:
        assert set(steps) == {"materials_available", "results_uploaded"}
    else:
        key = steps["key_available"].step
        assert key.due_at.astimezone(local) == dt.datetime.combine(work_on, dt.time(7, 30), local)
        assert not key.moscow
        criteria = steps["criteria_available"].step
        assert criteria.due_at == dt.datetime.combine(work_on, dt.time(14, 0), MOSCOW)
        assert criteria.moscow and criteria.due_at.astimezone(local).date() == work_on
    upload = steps["results_uploaded"]
    assert upload.step.due_at == dt.datetime.combine(upload_on, dt.time(23, 0), MOSCOW)
    assert upload.step.moscow and upload.markable and upload.tracked
    east_of_moscow = (upload.step.due_at.astimezone(local).utcoffset() or dt.timedelta()) > (
        dt.timedelta(hours=3)
    )
    expected = upload_on + dt.timedelta(days=1 if east_of_moscow else 0)
    assert upload.step.due_at.astimezone(local).date() == expected
    assert not any(item.markable for code, item in steps.items() if code != "results_uploaded")


def test_the_passports_steps_are_read_in_the_files_year() -> None:
    passport = reference().calendars["school_passport"]
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # the file is written for 2024/25
    items = passport_items(passport, "Asia/Tomsk", now)
    first = items[0]
    assert first.item == "school_details" and first.rule.signed_form
    assert first.step.due_at == _end_of(dt.date(2024, 9, 30), "Asia/Tomsk")
    rolled = passport_items(passport.model_copy(update={"school_year": None}), "Asia/Tomsk", now)
    assert rolled[0].step.due_at == _end_of(dt.date(2026, 9, 30), "Asia/Tomsk")
    assert MARKABLE["school_passport"] is None


def _lag(name: str, overdue: int, next_in: int | None, done: int = 0) -> Lag:
    place = Place(len(name), name, 1, 1, "Asia/Tomsk")
    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    ahead = None if next_in is None else base + dt.timedelta(days=next_in)
    return Lag(place, overdue, done, 10, ahead)


def test_lagging_first_most_overdue_then_soonest_open_step() -> None:
    lags = [
        _lag("А", 0, 5),
        _lag("Б", 2, 9),
        _lag("В", 0, 1),
        _lag("Г", 2, 3),
        _lag("Д", 0, None, 10),
    ]
    assert [lag.place.name for lag in lagging_first(lags)] == ["Г", "Б", "В", "А", "Д"]


def test_every_step_button_of_the_presets_fits_in_64_bytes() -> None:
    big = 999_999_999
    for letter, code in CALENDAR_LETTERS.items():
        for track in reference().calendars[code].tracks.values():
            for rule in track.steps:
                item = rule.code if code != VPR else f"{big}.{rule.code}"
                for act in CsAct:
                    packed = CsCb(act=act, cal=letter, school=big, item=item, page=99).pack()
                    assert len(packed.encode()) <= 64, packed
