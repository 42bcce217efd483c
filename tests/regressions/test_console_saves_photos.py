"""The console saves the pictures the bot sends (the /overview chart), as it does documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.console import ONBOARD_STUDENT, run_script


async def test_overview_chart_is_saved_to_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The student signs up for school mathematics (4th in the catalog), then the municipal
    # coordinator asks for the chart by subject.
    script = ONBOARD_STUDENT + "/events\n4\n1\n:as municipal\n/overview\n13\n:quit\n"
    out = await run_script(tmp_path, monkeypatch, script)
    saved = tmp_path / "data" / "console" / "downloads" / "registrations.png"
    assert "🖼 registrations.png" in out
    assert saved.read_bytes().startswith(b"\x89PNG")
