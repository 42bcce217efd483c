"""Participant codes: uploaded by the organiser, released to each student on the stage day."""
