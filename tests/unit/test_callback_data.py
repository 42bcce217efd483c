"""Callback data: unique prefixes, and the largest values still fit Telegram's 64 bytes."""

from __future__ import annotations

import importlib
import pkgutil
from enum import Enum
from typing import Any, get_args

from aiogram.filters.callback_data import CallbackData

import handlers
import ui

BIG_ID = 999_999_999  # row ids of a large deployment stay below a billion


def _all_callback_classes() -> list[type[CallbackData]]:
    for package in (handlers, ui):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    found: list[type[CallbackData]] = []
    stack = list(CallbackData.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith(("handlers.", "ui.")):
            found.append(cls)
    return found


def _largest(annotation: Any) -> Any:
    options = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    kind = options[0]
    if isinstance(kind, type) and issubclass(kind, Enum):
        return max(kind, key=lambda member: len(str(member.value)))
    if kind is int:
        return BIG_ID
    if kind is bool:
        return True
    if kind is float:
        return -123456.75
    return "x" * 8


def test_prefixes_are_unique() -> None:
    prefixes = [cls.__prefix__ for cls in _all_callback_classes()]
    assert len(prefixes) == len(set(prefixes)), sorted(prefixes)


def test_largest_values_pack_into_64_bytes() -> None:
    classes = _all_callback_classes()
    assert classes
    for cls in classes:
        values = {name: _largest(f.annotation) for name, f in cls.model_fields.items()}
        packed = cls(**values).pack()
        assert len(packed.encode()) <= 64, (cls.__name__, packed)
