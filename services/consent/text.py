"""The consent text a parent reads: the deployment's own template, or the one shipped.

A deployment puts its text in its reference folder as `consent/ru.html` and `consent/en.html`
(Jinja, Telegram's HTML; the values `parent`, `student`, `school`, `year`); the shipped ones are
templates/consent/text_<locale>.html.
"""

from __future__ import annotations

from collections.abc import Mapping

from ui.templating import environment, render

LOCALES = ("ru", "en")


def consent_text(
    overrides: Mapping[str, str],
    locale: str,
    *,
    parent: str,
    student: str,
    school: str | None,
    year: str,
) -> str:
    values = {"parent": parent, "student": student, "school": school, "year": year}
    locale = locale if locale in LOCALES else LOCALES[0]
    source = overrides.get(locale)
    if source is not None:
        return environment().from_string(source).render(**values).strip()
    return render(f"consent/text_{locale}.html", **values)
