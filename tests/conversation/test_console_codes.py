"""The console demo lets a new user try participant codes: sign up, the coordinator uploads the
demo file, and at 08:00 on the stage day (Sakhalin time) the code arrives and shows on the card."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from tests.support.console import ONBOARD_STUDENT, run_script

DEMO_CODES = PROJECT_ROOT / "data" / "demo" / "codes.csv"


async def test_demo_codes_file_reaches_the_student_at_eight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = (
        ONBOARD_STUDENT
        + "/events\n4\n1\n"  # Математика, школьный этап → Записаться
        + f":as municipal\n/codes\n4\n:file {DEMO_CODES}\n"
        + ":clock 2026-10-17 07:59\n:clock 2026-10-17 08:00\n"
        + ":as student\n/my\n1\n:quit\n"
    )
    out = await run_script(tmp_path, monkeypatch, script)
    assert "Traceback" not in out
    assert "Коды сохранены: основных 5, резервных 3." in out
    before, _, after = out.partition("bot time: 2026-10-17 08:00")
    assert "MATH-2026-0001" not in before
    assert "Ваш код участника" in after and "Код участника: MATH-2026-0001" in after
