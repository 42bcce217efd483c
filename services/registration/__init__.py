"""Registering a student for an event and withdrawing, and the registration window."""
