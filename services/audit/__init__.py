"""The audit log: recording acts, reading them back in words."""
