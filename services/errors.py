"""Refusals raised by services; handlers turn the reason code into localized text."""

from __future__ import annotations

from typing import Any


class Refused(Exception):  # noqa: N818 - a refusal is an answer, not an error
    """A use case declined to act. `reason` is a stable code, `details` fill the message."""

    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details
