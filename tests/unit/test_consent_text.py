"""The consent text: the shipped one in both languages, a deployment's own, a broken one refused
with the file and line."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiogram.utils.i18n import I18n

from bot.i18n import build_i18n
from services.consent.text import consent_text
from services.reference.loader import ReferenceDataError, load_reference

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
VALUES = {"parent": "Мария", "student": "Аня <b>", "school": "СОШ № 1", "year": "2026/27"}


@pytest.fixture
def i18n() -> Iterator[I18n]:
    found = build_i18n("ru")
    with found.context():
        yield found


def test_the_shipped_text_in_russian_and_english(i18n: I18n) -> None:
    ru = consent_text({}, "ru", **VALUES)
    assert ru.startswith("<b>Согласие родителя (законного представителя)</b>\n\nЯ, Мария,")
    assert "Аня &lt;b&gt; (СОШ № 1)" in ru  # names are escaped
    assert "в 2026/27 учебном году" in ru
    en = consent_text({}, "en", **VALUES)
    assert en.startswith("<b>Consent of a parent (legal representative)</b>\n\nI, Мария,")
    assert consent_text({}, "de", **VALUES) == ru


def test_a_deployment_replaces_the_text(tmp_path: Path, i18n: I18n) -> None:
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE, folder)
    (folder / "consent").mkdir()
    (folder / "consent" / "ru.html").write_text(
        "Я, {{ parent }}, согласен(на): {{ student }}, {{ year }}.", encoding="utf-8"
    )
    ref = load_reference(folder)
    assert set(ref.consent_templates) == {"ru"}
    text = consent_text(ref.consent_templates, "ru", **VALUES)
    assert text == "Я, Мария, согласен(на): Аня &lt;b&gt;, 2026/27."
    assert consent_text(ref.consent_templates, "en", **VALUES).startswith("<b>Consent of")
    (folder / "consent" / "en.html").write_text("line one\n{% if parent %}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        load_reference(folder)
    assert any(p.startswith("consent/en.html, line 2:") for p in caught.value.problems)
