"""What each refusal code reads as: every text of every feature, registered in one place.

Services refuse with a code (`services.errors.Refused`); `handlers.refusals` finds the text
here. A code defined twice fails at import, so two features cannot answer differently.
"""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import lazy_gettext as __

from handlers.collections_texts import COLLECTIONS

COMMON: dict[str, Any] = {
    "stale_choice": __("This choice is no longer available. Please start again with /start."),
    "unknown_locale": __("I don't speak this language yet."),
    "unknown_kind": __("Please choose one of the buttons."),
    "bad_grade": __("Grades go from 1 to 11."),
    "no_school": __("Choose your school first: /start."),
    "unknown_timezone": __("I don't know this time zone."),
    "forbidden": __("You are not allowed to do this."),
    # A school or municipality removed from the reference data after a button was shown.
    "unknown_school": __("This school is no longer in the list."),
    "unknown_municipality": __("This municipality is no longer in the list."),
}

ADMISSION: dict[str, Any] = {
    "adm_not_an_award": __("«{value}»: only winners and prize-winners are imported."),
    "adm_not_your_list": __("You do not form this list (any more). Send /admit again."),
    "adm_person_not_found": __("{name} is not among the known students of your scope."),
    "adm_person_ambiguous": __(
        "Several students of your scope are called «{name}»; check the grade."
    ),
    "adm_no_admission_scope": __(
        "Next-stage lists are formed by municipal and regional coordinators."
    ),
}

CATALOG: dict[str, Any] = {
    "cat_no_school": __("Choose your school and grade first: /start."),
    "cat_no_grade": __("Tell me your grade first: /start."),
    "cat_event_gone": __("This olympiad is no longer in the catalog. Open /events again."),
    "reg_no_school": __("Choose the school first: /start."),
    "reg_no_grade": __("The grade is not known yet: set it with /start."),
    "reg_not_a_student": __(
        "Only students take part. Link your child with /children to sign them up."
    ),
    "reg_formed_by_organiser": __(
        "Participants of this stage are chosen by the organiser from the previous stage's "
        "results; there is nothing to sign up for."
    ),
    "reg_not_open_yet": __("Registration for this olympiad has not opened yet."),
    "reg_event_cancelled": __("This olympiad was cancelled by the organiser."),
    "reg_status_closed": __("Registration is over: the stage is already under way or finished."),
    "reg_deadline_passed": __("Too late: registration closed on {deadline}."),
    "reg_out_of_scope": __("This olympiad is organised for other schools, not for yours."),
    "reg_grade_not_admitted": __("This olympiad admits grades {min}–{max}, not grade {grade}."),
    "reg_already": __("Already signed up for this olympiad."),
    "reg_not_registered": __("There is no registration to withdraw."),
    "unreg_deadline_passed": __(
        "Registration closed on {deadline}; it can no longer be withdrawn."
    ),
    "unreg_state": __("The stage has begun for this registration; it can no longer be withdrawn."),
    "par_not_your_child": __("This child is not linked to your account."),
    "par_code_students_only": __("Codes for parents are shown to students' accounts only."),
    "par_code_invalid": __(
        "This code does not work. Codes are valid for 15 minutes and only once: "
        "ask your child for a new one (/parentcode)."
    ),
    "par_own_code": __("This is your own code: it is for your parent to type in."),
    "par_already_linked": __("This child is already linked to your account."),
    "par_too_many_children": __("You can link at most {limit} children."),
    "par_bad_name": __("Write the child's name in letters, 2 to 100 characters."),
    "par_link_gone": __("This link no longer exists."),
    "par_flow_stale": __("This step is out of date. Start again with /children."),
}

TABLES: dict[str, Any] = {
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

CURATOR: dict[str, Any] = {
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

CONSENT: dict[str, Any] = {
    "consent_already_given": __("The consent is already recorded for this school year."),
    "consent_not_given": __("There is no consent to withdraw."),
    "consent_parent_in_bot": __(
        "A parent of this student is linked in the bot: the parent confirms the consent there."
    ),
    "consent_not_paper": __("There is no paper mark to take back for this student."),
}

EVENT_EDIT: dict[str, Any] = {
    "stage_bad_date": __("«{value}» is not a date; write it as DD.MM.YYYY, e.g. 01.10.2026."),
    "stage_bad_grades": __("«{value}» is not a range of grades; write it like 5-11 or 9."),
    "stage_bad_grade_dates": __(
        "«{value}» is not a list of per-grade dates; write it like 5-6: 01.10.2026; 7-11: "
        "02.10.2026."
    ),
    "stage_place_too_long": __("The place and format must be at most {limit} characters."),
    "stage_place_empty": __("The place and format cannot be empty."),
    "stage_date_outside_year": __("{date} is outside the school year {year}."),
    "stage_grades_outside_level": __(
        "Grades {grades} are outside what this stage admits for the subject ({allowed})."
    ),
    "stage_event_closed": __("A finished or cancelled event cannot be edited."),
    "stage_grades_exclude_registered": __(
        "{count} registered participants are outside these grades; unregister them first."
    ),
    "stage_nothing_to_change": __("Nothing changed: the value is the same as before."),
    "stage_date_in_past": __(
        "{date} has already passed (today is {today}); choose today or a later date."
    ),
    "stage_event_not_found": __("There is no event #{id}; numbers are in /overview."),
}

INVITATIONS: dict[str, Any] = {
    "invitation_invalid": __(
        "This invitation link is not valid. Check that it was copied whole, or ask for a new one."
    ),
    "invitation_used": __("This invitation has already been used. Ask for a new one."),
    "invitation_yours": __("You have already accepted this invitation; the role is yours."),
    "invitation_expired": __("This invitation has expired. Ask for a new one."),
    "invitation_revoked": __("This invitation was taken back. Ask for a new one."),
    "invitation_own": __(
        "This is your own invitation: send the link to the person you are inviting."
    ),
    "invitation_not_pending": __("This invitation has already been used or taken back."),
    "role_already_held": __("You already hold this role here."),
}

REMINDERS: dict[str, Any] = {
    "reminder_bad_choice": __("This choice is no longer available."),
    "quiet_bad_format": __(
        "Send the quiet hours as a start and an end, for example 18–09 or 22:30–07:00."
    ),
    "quiet_bad_time": __("Hours go from 00 to 23 and minutes from 00 to 59."),
    "quiet_same_hours": __("The quiet hours must start and end at different times."),
    "reminder_keep_one_offset": __("Keep at least one reminder, or mute the category instead."),
}

RESULTS: dict[str, Any] = {
    "res_bad_score": __("«{value}» is not a score: send a number such as 37,5."),
    "res_score_out_of_range": __("{value} is above the maximum score {max}."),
    "res_max_score_not_set": __("The maximum score is not set yet: the organiser sets it."),
    "res_bad_max_score": __("The maximum score must be above 0 and at most {limit}."),
    "res_bad_passing": __(
        "«{value}» is not a passing score: send «20» or «20; 9: 25; 10-11: 30»."
    ),
    "res_bad_placement": __("«{value}» is not a result: write победитель, призёр or участник."),
    "res_bad_line": __("«{line}» should look like «Иванов Иван — 37,5»."),
    "res_name_too_short": __("«{name}»: give the surname and the name."),
    "res_person_not_found": __("{name} is not among the participants you enter results for."),
    "res_person_ambiguous": __("There are several «{name}»: add the patronymic or the grade."),
    "res_duplicate_row": __("{name} is here twice; only the first was saved."),
    "res_unknown_registration": __("This participant is no longer registered."),
    "res_results_published": __("The results are published and can no longer be changed."),
    "res_results_not_open": __("Results are entered only while the event is summed up."),
    "res_no_score_yet": __("Enter the score first."),
    "res_max_below_scores": __("{value} is below a score already entered ({highest})."),
    "res_no_scores": __("No scores are entered yet."),
    "res_bad_row_grade": __("«{value}» is not a grade from 1 to 11."),
    "res_unknown_subject_row": __("Unknown subject «{value}»."),
}

STAFF: dict[str, Any] = {
    "role_not_active": __("This role has already been taken away."),
    "role_is_yours": __("You cannot take away your own role; ask the person above you."),
}

STAGE: dict[str, Any] = {
    "stage_not_organiser": __("You do not organise any olympiad stage."),
    "stage_bad_score": __("«{value}» is not a score; write a number like 35 or 17,5."),
    "stage_passing_above_max": __("The passing score {passing} is above the maximum score {max}."),
    "stage_no_subject": __("The subject is empty."),
    "stage_unknown_subject": __("Unknown subject «{value}»: write its name as in the template."),
    "stage_duplicate_row": __("This subject is already in row {row}."),
    "stage_event_exists": __("{subject} already exists for this stage and year (/event_{id})."),
    "stage_band_outside_grades": __(
        "Per-grade dates name grades the event does not admit: {grades}."
    ),
    "stage_no_date": __("No date: fill in «Дата», or per-grade dates for all grades {grades}."),
    "stage_stale_preview": __("This preview is out of date. Please send the file again."),
    "stage_nothing_to_create": __("There are no valid rows to create."),
    "stage_changed": __(
        "Some of these events were created meanwhile. Nothing was saved; send the file again."
    ),
}

STATUS: dict[str, Any] = {
    "stage_no_events": __("There are no events to change."),
    "status_same": __("The event already has this status."),
    "status_final": __("A finished event cannot be cancelled."),
    "status_stale": __(
        "The statuses changed since the preview. Nothing was saved; please look again."
    ),
    "status_reason_required": __("Skipping a step or going back needs a reason."),
}

DASHBOARD: dict[str, Any] = {
    "nudge_nothing_due": __("This event has no check to remind the schools of now."),
    "nudge_nobody_lagging": __("No school is lagging for this check."),
}


OLYMPIAD_DAY: dict[str, Any] = {
    "day_bad_time": __("«{value}» is not a time: write it as HH:MM, e.g. 08:00."),
    "day_bad_window": __(
        "«{value}» is not an appeal window: write «48 ч», «3 д» or «05.12.2026 18:00»."
    ),
    "day_window_in_past": __("This moment has already passed."),
    "codes_row_empty": __("the code is empty"),
    "codes_row_bad": __("the code has spaces or characters a code cannot have, or is too long"),
    "codes_row_repeated": __("this code is already in the file or uploaded for the event"),
    "codes_row_bad_reserve": __("«Резерв» must be да or нет"),
    "codes_not_assigned": __("This code is no longer given to anyone."),
    "codes_no_reserve": __("No reserve codes are left: the organiser uploads more."),
    "codes_time_fixed": __("Codes are already given out: their release time is fixed."),
    "ap_closed": __("The appeal window is closed."),
    "ap_not_open": __("Appeals open once the results are published."),
    "ap_not_yours": __("This appeal is not yours to see."),
    "ap_no_score": __("You have no score in this event to appeal."),
    "ap_pending": __("Your appeal on this event is already being considered."),
    "ap_bad_task": __("Name the task in a few words (up to 100 characters)."),
    "ap_bad_reason": __("Explain the reason in 10 to 1000 characters."),
    "ap_answered": __("This appeal has already been answered."),
    "ap_bad_score": __("«{value}» is not a score from 0 to {max}."),
}


def _merged(*tables: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for table in tables:
        clash = set(found) & set(table)
        if clash:
            raise ValueError(f"refusal codes defined twice: {sorted(clash)}")
        found.update(table)
    return found


CALENDAR_STEPS: dict[str, Any] = {
    "steps_no_role": __(
        "The data calendars (school passport, VPR) are for a school's data operator, the "
        "municipal education office and the regional data centre; their roles come by invitation."
    ),
    "step_unknown": __("This step is no longer in the calendar. Open /steps again."),
    "step_not_markable": __("This step says when something becomes available; nothing to mark."),
    "step_already_done": __("This step is already marked done."),
    "step_needs_form": __("This step is marked done with the signed verification form."),
    "step_form_not_document": __(
        "This is not a document. Send the signed verification form as a file (📎 → File), "
        "or /cancel."
    ),
    "plan_no_scope": __(
        "A plan-schedule is uploaded for a region or municipality: hold the regional data "
        "centre's or the municipal office's role there."
    ),
    "plan_not_a_file": __("Please send the plan-schedule as a file (.xlsx or .csv), or /cancel."),
    "plan_bad_subject": __("the subject is empty or longer than 100 characters."),
    "plan_bad_grade": __("«{value}» is not a grade from 4 to 11."),
    "plan_bad_date": __("«{value}» is not a date (write 15.04.2027 or 2027-04-15)."),
    "plan_upload_before_work": __(
        "the upload date must be on or after the work's date, and within 60 days of it."
    ),
    "plan_unknown_school": __("no school of your scope has the code «{value}»."),
    "plan_repeated_row": __("the same subject and grade as row {first}."),
}

REASONS = _merged(
    COMMON,
    COLLECTIONS,
    CALENDAR_STEPS,
    DASHBOARD,
    ADMISSION,
    CATALOG,
    TABLES,
    CURATOR,
    CONSENT,
    EVENT_EDIT,
    INVITATIONS,
    REMINDERS,
    RESULTS,
    STAFF,
    STAGE,
    STATUS,
    OLYMPIAD_DAY,
)
