"""Coordinators' stages: creation from a schedule, status changes, event edits, the overview."""
