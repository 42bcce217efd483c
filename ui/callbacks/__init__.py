"""Callback data factories, one module per feature (prefixes 2–3 letters, unique)."""
