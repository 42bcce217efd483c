"""Results: entry, upload, settings, publication, access."""
