"""The per-row report of an uploaded list, as a file in the format the curator sent."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from handlers.catalog_reasons import refusal_text
from services.curator.upload import Outcome, UploadResult
from services.tabular.xlsx_export import Sheet, build_csv_report, build_workbook


def outcome_text(outcome: Outcome) -> str:
    return {
        Outcome.REGISTERED: _("registered"),
        Outcome.ALREADY: _("already registered"),
        Outcome.INELIGIBLE: _("not eligible"),
        Outcome.INVALID: _("row invalid"),
        Outcome.LISTED: _("on the school's list, no subjects"),
        Outcome.UNKNOWN_SUBJECT: _("on the school's list, subject not recognised"),
    }[outcome]


def report_headers() -> list[str]:
    return [
        _("Row"),
        _("Surname"),
        _("Name"),
        _("Patronymic"),
        _("Grade"),
        _("Subject"),
        _("Result"),
        _("Why"),
    ]


def report_rows(result: UploadResult) -> list[list[str | int]]:
    zone = result.school.zone
    rows: list[list[str | int]] = []
    for line in result.lines:
        row = line.row
        why = refusal_text(line.refusal, zone) if line.refusal is not None else ""
        rows.append(
            [
                row.number,
                row.surname,
                row.name,
                row.patronymic,
                row.grade_text,
                line.subject,
                outcome_text(line.outcome),
                why,
            ]
        )
    return rows


def report_file(result: UploadResult, stem: str) -> tuple[str, bytes]:
    """(file name, content): an .xlsx answers an .xlsx, a CSV answers anything else."""
    headers, rows = report_headers(), report_rows(result)
    name = f"{stem}_{_('report')}"
    if result.format == "xlsx":
        return f"{name}.xlsx", build_workbook([Sheet(_("Report"), headers, rows)])
    return f"{name}.csv", build_csv_report(headers, rows)


def template_file() -> tuple[str, bytes]:
    """An empty list with the headers and one example row, for curators starting from zero."""
    headers = ["Фамилия", "Имя", "Отчество", "Класс", "Предметы"]
    example: list[str | int] = ["Иванова", "Мария", "Петровна", 7, "Математика, Биология"]
    return "students.xlsx", build_workbook([Sheet("Ученики", headers, [example])])
