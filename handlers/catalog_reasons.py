"""Texts of the refusals of the catalog, registration, parents and personal-data screens.

Importing this module registers them; each of those handler modules imports it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram.utils.i18n import lazy_gettext as __

from handlers.refusals import reason_text, register_reasons
from services.errors import Refused
from services.rules.deadlines import shown_deadline
from ui.templating import local_datetime

REASONS = {
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
register_reasons(REASONS)


def refusal_text(refusal: Refused, zone: str) -> str:
    """The refusal in words, its instants shown on the reader's clock."""
    details: dict[str, Any] = {
        key: local_datetime(shown_deadline(value, zone), zone, "d MMMM, HH:mm")
        if isinstance(value, dt.datetime)
        else value
        for key, value in refusal.details.items()
    }
    return reason_text(Refused(refusal.reason, **details))
