"""Structured logging: JSON lines carry the extras; text lines append them as key=value."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.logging_setup import setup_logging


@pytest.fixture(autouse=True)
def restore_root() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_extras() -> None:
    stream = io.StringIO()
    setup_logging("INFO", "json", stream=stream)
    logging.getLogger("demo").info("refused", extra={"reason": "forbidden", "user_id": 7})
    record = json.loads(stream.getvalue())
    assert record["msg"] == "refused"
    assert record["level"] == "INFO"
    assert (record["reason"], record["user_id"]) == ("forbidden", 7)
    assert record["ts"].endswith("+00:00")


def test_text_lines_append_key_values() -> None:
    stream = io.StringIO()
    setup_logging("WARNING", "text", stream=stream)
    logging.getLogger("demo").info("hidden")
    logging.getLogger("demo").warning("shown", extra={"update_id": 3})
    out = stream.getvalue()
    assert "hidden" not in out
    assert "WARNING demo: shown update_id=3" in out
