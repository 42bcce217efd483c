"""/audit showed internal codes: «curator_upload», «registration:1», «created: — → 4», 14.5.

Every action and field code a service can write (found by reading the `audit.record` calls of
the code base) must read as words in both languages, and so must the targets they write.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiogram.utils.i18n import I18n
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import handlers
from bot.i18n import build_i18n
from bot.settings import PROJECT_ROOT
from handlers import audit as audit_handler
from handlers import audit_words
from handlers.audit_labels import FIELD_LABELS, HIDDEN_FIELDS
from models.enums import Level, Placement
from models.olympiad import Registration
from services.audit import record as audit
from services.audit import view as audit_view
from services.curator.upload import Outcome
from services.scopes import Scope
from services.staff.places import Paged
from services.stage.event_edit import EditField
from tests.support.stage_world import NOW, StageWorld, register, world
from ui.templating import render

__all__ = ["world"]  # fixtures used here
# Feature handlers register the words of their actions when imported, as the assembled bot
# imports them all; import every one, so that what is checked does not depend on which tests
# ran before in this process (under pytest-xdist, any of them).
for _module in pkgutil.walk_packages(handlers.__path__, "handlers."):
    importlib.import_module(_module.name)
ZONE = "Asia/Sakhalin"
# A whole stage's subjects: a list longer than a line of the screen holds.
SUBJECTS = ["math", "social_studies", "physical_education", "english", "astronomy", "biology"]
SUBJECTS += ["informatics", "literature", "economics"]
WRITERS = ("services", "handlers", "reminders", "bot")
# Snapshot keys built from an enum rather than written out: where, and which enum.
DYNAMIC_KEYS: dict[str, list[str]] = {
    "services/stage/event_edit.py": [str(f) for f in EditField],
    "services/results/publish.py": [str(p) for p in Placement],
    "services/curator/upload.py": [str(o) for o in Outcome],
}


def _constants(tree: ast.Module) -> dict[str, str]:
    return {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def _strings(node: ast.expr, constants: dict[str, str]) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.Name):
        yield constants[node.id]
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body, constants)
        yield from _strings(node.orelse, constants)
    else:
        raise AssertionError(f"an audit action written as {ast.dump(node)}")


def _dicts(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """What each local name is set to in the module, to follow `after=after` to its dict."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            found.setdefault(node.targets[0].id, []).append(node.value)
    return found


def _keys(
    node: ast.expr | None, path: str, dynamic: set[str], names: dict[str, list[ast.expr]]
) -> Iterator[str]:
    """The keys of a before/after snapshot; a key built at run time marks the module."""
    if isinstance(node, ast.Name) and any(isinstance(v, ast.Dict) for v in names[node.id]):
        for value in names[node.id]:
            if isinstance(value, ast.Dict):
                yield from _keys(value, path, dynamic, names)
    elif isinstance(node, ast.Dict):
        for key in node.keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value
            else:
                dynamic.add(path)
    elif node is not None and not (isinstance(node, ast.Constant) and node.value is None):
        dynamic.add(path)


def _is_writer(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "record" and len(call.args) >= 5  # record(session, actor, action, scope, …)


def written_codes() -> tuple[set[str], set[str], set[str]]:
    actions: set[str] = set()
    keys: set[str] = set()
    dynamic: set[str] = set()
    for folder in WRITERS:
        for file in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            path = file.relative_to(PROJECT_ROOT).as_posix()
            tree = ast.parse(file.read_text(encoding="utf-8"))
            constants, names = _constants(tree), _dicts(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _is_writer(node):
                    actions.update(_strings(node.args[2], constants))
                    for kw in node.keywords:
                        if kw.arg in ("before", "after"):
                            keys.update(_keys(kw.value, path, dynamic, names))
                # A snapshot completed after the entry was written (entry.after = {...}).
                elif (
                    isinstance(node, ast.Assign)
                    and isinstance(node.targets[0], ast.Attribute)
                    and node.targets[0].attr in ("before", "after")
                ):
                    keys.update(_keys(node.value, path, dynamic, names))
    return actions, keys, dynamic


RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[a-z_]+:[a-z0-9]|\d\.\d")


@pytest.fixture(params=["ru", "en"])
def locale(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n = build_i18n("ru")
    with i18n.context():
        assert isinstance(i18n, I18n)
        with i18n.use_locale(request.param):
            yield request.param


def test_the_writers_are_found() -> None:
    actions, keys, dynamic = written_codes()
    assert {"curator_upload", "res_results_published", "status_change", "list_formed"} <= actions
    assert {"rows", "score", "admitted", "missing_events", "status", "move"} <= keys
    assert dynamic == set(DYNAMIC_KEYS), "a new snapshot key built at run time: list its enum"


def test_every_action_and_field_reads_as_words(locale: str) -> None:
    actions, keys, _dynamic = written_codes()
    keys |= {key for enum_keys in DYNAMIC_KEYS.values() for key in enum_keys}
    for code in sorted(actions):
        text = audit_words.action_text(code)
        assert text != code and not RAW.search(text), (locale, code, text)
    for key in sorted(keys - HIDDEN_FIELDS):
        label = str(FIELD_LABELS.get(key, key))
        assert label != key and not RAW.search(label), (locale, key, label)


async def _entries(session: AsyncSession, world: StageWorld) -> None:
    """One entry of each kind of target the services write, with one-sided snapshots."""
    math = await world.event_id(session, "math", Level.SCHOOL)
    student = await world.person(session, "Аня Петрова", school_id=world.schools[0])
    await register(session, math, student, score=14.5)
    reg_id = await session.scalar(select(func.max(Registration.id)))
    scope = Scope(world.region_id, world.ys_id, world.schools[0])
    rows: list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]] = [
        ("curator_upload", f"school:{world.schools[0]}", None, {"rows": 5, "created": 4}),
        ("res_results_published", f"event:{math}", None, {"participants": 3, "absent": 1}),
        ("export", "registrations:s", None, {"rows": 12}),
        ("result_entered", f"registration:{reg_id}", {"score": None}, {"score": 14.5}),
        ("placements_computed", f"event:{math}", None, {"winner": 2, "prize": 3}),
        ("status_change", f"event:{math}", {"status": "registration"}, {"move": "skip"}),
        ("list_formed", "municipal:2026", None, {"admitted": 2, "missing_events": ["Физика"]}),
        ("stage_create", f"school:m{world.ys_id}:2026", None, {"subjects": SUBJECTS}),
        ("passing_score_set", f"event:{math}", None, {"per_grade": {"9": 12.5}}),
        ("audit_export", "audit", None, {"rows": 3}),
        ("status_change", "event:999999", None, {"status": "finished"}),
    ]
    for minutes, (action, target, before, after) in enumerate(rows):
        await audit.record(
            session,
            world.staff["regional"],
            action,
            scope,
            target,
            NOW + timedelta(minutes=minutes),
            before=before,
            after=after,
        )


async def test_the_page_has_no_codes(
    session: AsyncSession, world: StageWorld, locale: str
) -> None:
    async with session.begin():
        await _entries(session, world)
    found = await audit_view.audit_page(session, world.staff["regional"], 0, locale, size=20)
    items = tuple(audit_handler.readable(line, ZONE) for line in found.items)
    text = render(
        "audit/page.html",
        log=Paged(items, found.page, found.total, found.size),
        tz=ZONE,
        labels=audit_handler._labels(),
        icons=audit_handler.PLACE_ICONS,
        compact=False,
    )
    assert not RAW.search(text), RAW.findall(text)
    assert "— →" not in text
    assert "14,5" in text and "12,5" in text
    if locale == "ru":
        assert "Загружен список класса" in text and "Новых учеников: 4" in text
        assert "Аня Петрова · Математика, школьный этап" in text
        assert "Шаг: через шаг" in text and "Победителей: 2" in text
        assert "Записи, лист на каждый предмет" in text
        assert "муниципальный этап, 2026/27" in text
        assert "Предметы: Математика, Обществознание, Физическая культура" in text
        assert "мероприятие № 999999 (удалено)" in text
    else:
        assert "Class list uploaded" in text and "Step: over a step" in text
        assert "Аня Петрова · Mathematics, school stage" in text
