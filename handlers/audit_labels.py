"""What the codes the audit log records mean to a reader: actions, fields and their values.

Every code a service can write (`services.audit.record` calls) has a label here; a test walks
them all, so a new code without words fails it rather than reaching a coordinator raw.
"""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import lazy_gettext as __

ACTION_LABELS: dict[str, Any] = {
    "invitation_create": __("Invitation created"),
    "invitation_revoke": __("Invitation taken back"),
    "invitation_accept": __("Invitation accepted"),
    "role_revoke": __("Role taken away"),
    "audit_export": __("Audit log exported"),
    "stage_create": __("Stage created"),
    "event_edit": __("Event edited"),
    "status_change": __("Status changed"),
    "result_entered": __("Result entered"),
    "results_upload": __("Results uploaded"),
    "results_published": __("Results published"),
    # The code the publication has always written; older entries carry it too.
    "res_results_published": __("Results published"),
    "placements_computed": __("Winners and prize-winners computed"),
    "placement_set": __("Placement set"),
    "max_score_set": __("Maximum score set"),
    "passing_score_set": __("Passing score set"),
    "list_formed": __("Next-stage list formed"),
    "awards_imported": __("Last year's winners imported"),
    "register_student": __("Student registered"),
    "unregister_student": __("Registration cancelled"),
    "curator_upload": __("Class list uploaded"),
    "claim_code_issued": __("Claim code issued"),
    "claim_code_used": __("Claim code used"),
    "export": __("Data exported"),
    "collection_open": __("Data collection opened"),
    "collection_state": __("Data collection state changed"),
    "completeness_report": __("Card completeness reported"),
    "completeness_upload": __("Card completeness table uploaded"),
    "completeness_remind": __("Low card completeness reminded"),
    "schools_nudged": __("Lagging schools reminded"),
    "consent_given": __("Parent's consent given"),
    "consent_withdrawn": __("Parent's consent withdrawn"),
    "consent_paper_marked": __("Paper consent form received"),
    "consent_paper_unmarked": __("Paper consent mark taken back"),
}

# The keys of the before/after snapshots.
FIELD_LABELS: dict[str, Any] = {
    "status": __("Status"),
    "move": __("Step"),
    "role": __("Role"),
    "holder": __("Person"),
    "date": __("Date"),
    "place": __("Place and format"),
    "grades": __("Grades"),
    "expires_at": __("Valid until"),
    "revoked": __("Taken back"),
    "rows": __("Rows"),
    "score": __("Score"),
    "placement": __("Placement"),
    "max_score": __("Maximum score"),
    "default": __("Passing score"),
    "per_grade": __("Passing score by grade"),
    "participants": __("Participants"),
    "absent": __("Absent"),
    "source": __("Source"),
    "saved": __("Saved"),
    "failed": __("Not saved"),
    # A class list's report: how its rows ended.
    "created": __("New students"),
    "registered": __("Registrations made"),
    "already": __("Already registered"),
    "ineligible": __("Not eligible"),
    "invalid": __("Rows with errors"),
    "listed": __("Listed without subjects"),
    "unknown_subject": __("Unknown subjects"),
    # Winners computed: how many of each placement.
    "winner": __("Winners"),
    "prize": __("Prize-winners"),
    "participant": __("Participants without a placement"),
    "admitted": __("Admitted"),
    "missing_events": __("Subjects without an event"),
    "added": __("Added"),
    "events": __("Events"),
    "subjects": __("Subjects"),
    "state": __("State"),
    "percent": __("Per cent"),
    "schools": __("Schools"),
    "queued": __("Reminders queued"),
    "school_year": __("School year"),
    # Participant codes (only row numbers and counts: a code itself is never recorded).
    "main": __("Main codes"),
    "reserve": __("Reserve codes"),
    "given": __("Codes given"),
    "without_code": __("Left without a code"),
    "codes": __("Code rows"),
    "new": __("New code row"),
    "student": __("Student"),
    "event": __("Event"),
    "time": __("Release time"),
    # The appeal window an organiser set.
    "until": __("Until"),
    "hours": __("Hours from publication"),
}
# Internal keys a reader has no use for (the events themselves are named by "subjects").
HIDDEN_FIELDS = frozenset({"event_ids"})

STATUS_NAMES: dict[str, Any] = {
    "draft": __("Draft"),
    "registration": __("Registration"),
    "conducting": __("Conducting"),
    "summarizing": __("Summarizing results"),
    "finished": __("Finished"),
    "cancelled": __("Cancelled"),
}
MOVE_NAMES: dict[str, Any] = {
    "forward": __("forward"),
    "skip": __("over a step"),
    "back": __("backwards"),
    "cancel": __("to cancelled"),
}
LEVEL_NAMES: dict[str, Any] = {
    "school": __("school stage"),
    "municipal": __("municipal stage"),
    "regional": __("regional stage"),
}
PLACEMENT_NAMES: dict[str, Any] = {
    "winner": __("winner"),
    "prize": __("prize-winner"),
    "participant": __("participant"),
}
SOURCE_NAMES: dict[str, Any] = {
    "file": __("a file"),
    "chat": __("typed in the chat"),
}
KIND_NAMES: dict[str, Any] = {
    "student": __("student"),
    "parent": __("parent"),
    "staff": __("staff member"),
}
COLLECTION_STATE_NAMES: dict[str, Any] = {
    "not_started": __("Not started"),
    "in_progress": __("In progress"),
    "submitted": __("Submitted"),
}
# Which keys hold a code of which kind; their values are named in words.
VALUE_NAMES: dict[str, dict[str, Any]] = {
    "status": STATUS_NAMES,
    "move": MOVE_NAMES,
    "placement": PLACEMENT_NAMES,
    "source": SOURCE_NAMES,
    "state": COLLECTION_STATE_NAMES,
}
EXPORT_LAYOUTS: dict[str, Any] = {
    "s": __("Registrations, a sheet per subject"),
    "f": __("Registrations, one sheet"),
}
# What a target code names when its row is gone: "event:7" → "event #7 (deleted)".
GONE_NAMES: dict[str, Any] = {
    "event": __("event #%(id)s (deleted)"),
    "school": __("school #%(id)s (deleted)"),
    "user": __("person #%(id)s (deleted)"),
    "student": __("student #%(id)s (deleted)"),
    "registration": __("registration #%(id)s (deleted)"),
}
