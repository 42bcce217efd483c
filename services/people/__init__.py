"""People: who is behind an update, onboarding, their data, names, zones and the Viewer."""
