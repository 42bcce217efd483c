"""A bare number typed where the bot asks for a value is that value, not a button press."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.console import run_script


async def test_typed_passing_score_is_sent_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # /results → the history event (summarizing) → «Задать проходной балл» → 33
    out = await run_script(tmp_path, monkeypatch, ":as municipal\n/results\n1\n3\n33\n:quit\n")
    assert "there is no button number" not in out
    assert "no message with inline buttons" not in out
    assert "Проходной балл на следующий этап: 33" in out


async def test_number_presses_a_button_of_the_last_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = await run_script(tmp_path, monkeypatch, ":as municipal\n/results\n1\n:quit\n")
    assert "Задать проходной балл" in out
