"""The catalog of events open to a person, the event card, and a person's own registrations."""
