"""The console's demo holds the data calendars: its data operator sees «Паспорт школы» and the
demo's ВПР works in /due on the first run, and the municipal office sees its schools."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.console import run_script


async def test_demo_operator_and_office_see_the_data_calendars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = await run_script(
        tmp_path, monkeypatch, ":as operator\n/due\n:as office\n/steps\n1\n:as operator\n/steps\n"
    )
    assert "Traceback" not in out
    assert "you are now: the data operator of the first demo school" in out
    due = out.split("/due", 1)[1]
    # The passport's yearly dates are read in the demo's school year (2026/27), so they lie ahead;
    # the demo's ВПР works are dated from its first day.
    assert "Паспорт школы" in due
    assert "2027" in due
    assert "ВПР в ФИС ОКО · Математика, 5" in due
    assert "по московскому времени" in due  # the results upload: 23:00 Moscow time
    assert "Сначала отстающие" in out  # the office's list of its schools
    assert "📝 ВПР в ФИС ОКО" in out  # the operator's own school board
