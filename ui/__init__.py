"""The rendering layer under handlers and reminders: templates, dates in a zone, callback data."""
