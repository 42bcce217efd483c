"""The Bot API response models survive a garbage collection once the bot has used them."""

from __future__ import annotations

import gc
from typing import Any

from aiogram.methods import GetMyShortDescription
from aiogram.methods.base import Response
from aiogram.types import BotDescription, BotShortDescription

from bot.middlewares.response_models import KeepResponseModels


async def _through(middleware: KeepResponseModels, method: Any) -> None:
    async def make_request(_bot: Any, _method: Any) -> Any:
        return None

    await middleware(make_request, None, method)  # type: ignore[arg-type]


def _rebuilt_after_collection(model: type) -> bool:
    marker = Response[model]  # type: ignore[valid-type]
    marker.kept_marker = True  # type: ignore[attr-defined]
    del marker
    gc.collect()
    return not getattr(Response[model], "kept_marker", False)  # type: ignore[valid-type]


async def test_a_used_return_type_keeps_its_model_across_collections() -> None:
    # Rarely used return types, which nothing else in the process holds.
    assert _rebuilt_after_collection(BotDescription), "pydantic's cache is weak: the premise"
    keeper = KeepResponseModels()
    await _through(keeper, GetMyShortDescription())
    await _through(keeper, GetMyShortDescription())
    assert not _rebuilt_after_collection(BotShortDescription)
    assert len(keeper._kept) == 1  # one per return type, not per call
