"""The shipped reference and demo data, parsed once per test session (both are immutable)."""

from __future__ import annotations

from functools import cache

from bot.settings import PROJECT_ROOT
from services.reference.loader import DemoData, ReferenceData, load_demo_file, load_reference


@cache
def reference() -> ReferenceData:
    return load_reference(PROJECT_ROOT / "data" / "reference")


@cache
def demo() -> DemoData:
    return load_demo_file(PROJECT_ROOT / "data" / "demo" / "demo.yaml", reference())
