"""Texts of the refusals of uploaded tables (any feature) and of the school curator's screens.

Importing this module registers them; every handler module that reads an upload imports it.
"""

from __future__ import annotations

from aiogram.utils.i18n import lazy_gettext as __

from handlers.refusals import register_reasons

TABLE_REASONS = {
    "file_wrong_type": __(
        "I can't read the file {name} as a table. Send a spreadsheet saved as {expected}."
    ),
    "file_empty": __("The file is empty. Fill in the table and send it again."),
    "file_too_large": __(
        "The file is too large: at most {limit_mb} MB. Split the list into several files."
    ),
    "file_unpacks_too_large": __(
        "The file is small, but the table inside it unpacks to {unpacked_mb} MB, and I read "
        "at most {limit_mb} MB. Such a sheet usually holds formatting or formulas down to its "
        "last row: delete the empty rows and columns, or copy only the list into a new file."
    ),
    "file_too_many_rows": __(
        "The table has more than {limit} rows. Split the list into several files."
    ),
    "file_bad_encoding": __(
        "I can't read the text of this file. Save it as CSV in UTF-8 or Windows-1251, "
        "or send it as .xlsx."
    ),
    "file_damaged": __(
        "The file seems damaged and can't be opened ({problem}). Save it again and resend it."
    ),
    "file_missing_columns": __(
        "The table has no columns {columns}. The first row must hold the column headers."
    ),
    "file_duplicate_columns": __(
        "The column {column} appears twice in the header. Keep one and send the file again."
    ),
    "file_no_rows": __("The table has headers but no rows under them."),
    "row_extra_cells": __(
        "Row {row} has more cells than the header has columns; extra values: {extra}. "
        "Put each value in its own column, and keep a list (such as subjects) in one cell, "
        "separated by commas."
    ),
}

CURATOR_REASONS = {
    "not_curator": __("This is for school curators. A coordinator can invite you."),
    "unknown_student": __("This student is not on the school's list any more."),
    "unknown_event": __("This olympiad no longer exists."),
    "event_not_for_school": __("This olympiad is not a school-stage olympiad of your school."),
    "no_students_chosen": __("Tick at least one student first."),
    "no_school_event": __(
        "No school-stage olympiad in this subject is set up for the school yet."
    ),
    "upload_no_file": __("Send the list as a file (a document), not as a photo or text."),
    "row_no_surname": __("The surname is empty."),
    "row_no_name": __("The name is empty."),
    "row_name_formula": __(
        "The cell holds the formula {value} instead of a name. Type the name itself as text."
    ),
    "row_name_too_long": __("The full name is longer than {limit} characters."),
    "row_bad_grade": __("The grade «{value}» is not a number from 1 to 11."),
    "row_unknown_subject": __("Unknown subject «{subject}»: write it as in the list of subjects."),
    "row_ambiguous_student": __(
        "{count} students of the school have this name; register them one by one in /school."
    ),
    "row_grade_differs": __(
        "The student uses the bot and is in grade {grade} there; correct the list or ask the "
        "student to update the grade in /start."
    ),
    "claim_code_invalid": __(
        "This code is not valid. Check it with your curator: a code works once and expires."
    ),
    "claim_not_offline": __("This student already uses the bot, so no code is needed."),
    "claim_for_students": __(
        "This code is for the student's own account. A parent links to a child with /children."
    ),
}


register_reasons({**TABLE_REASONS, **CURATOR_REASONS})
