"""The console demo lets a new user try participant codes: sign up, the coordinator uploads the
demo file, and at 08:00 on the stage day (Sakhalin time) the code arrives and shows on the card."""

from __future__ import annotations

import re
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
    # The demo's other math participant (the "mother" persona's son) may hold the first code.
    codes = set(re.findall(r"Код участника: (MATH-2026-\d{4})", after))
    assert "Ваш код участника" in after and len(codes) == 1, codes
    assert codes.pop() not in before


async def test_demo_appeal_from_sign_up_to_changed_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's walk-through: a student of the curator persona's school (Гимназия № 1)."""
    status_forward = "/status\n1\n3\n5\n1\n1\n"  # school stage → one event → mathematics → next
    script = (
        "/start\n1\n1\n1\n1\n1\n7\n/events\n4\n1\n:clock 2026-10-18 10:00\n"
        + ":as municipal\n" + status_forward + status_forward
        + ":as curator\n/results\n1\n1\n1\n20\n"
        + ":as municipal\n/results\n1\n5\n1\n"
        + ":as student\n/my\n1\n1\nЗадача 2\nРешение верное, балл снижен за оформление.\n1\n"
        + ":as municipal\n/appeals\n1\n1\n2\n25\n:tick\n:as student\n:quit\n"
    )  # fmt: skip
    out = await run_script(tmp_path, monkeypatch, script)
    assert "Traceback" not in out
    assert "Подать апелляцию до 21 октября, 10:00 (местное время), осталось 3 дн. 0 ч." in out
    assert "Апелляция подана" in out
    assert "1. Аня, 7 класс — «Задача 2»: 20 → 25" in out
    assert "Балл изменён: 20 → 25 из 35." in out
