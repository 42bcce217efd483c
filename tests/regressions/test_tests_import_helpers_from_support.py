"""Tests take shared helpers and fixtures from tests/support/, never from another test module.

46 imports reached into other `test_*.py` files (and into a conftest), so running or moving one
file depended on another's tests, and their fixtures were collected twice.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_no_module_imports_a_test_module_or_a_conftest() -> None:
    offending = [
        f"{path.relative_to(TESTS)}: {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith("tests.")
        and (name.rsplit(".", 1)[-1].startswith("test_") or name.endswith(".conftest"))
    ]
    assert offending == []


def test_support_modules_hold_no_tests() -> None:
    with_tests = [
        path.name
        for path in sorted((TESTS / "support").glob("*.py"))
        if any(
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
            for node in ast.parse(path.read_text("utf-8")).body
        )
    ]
    assert with_tests == []
