"""The one error the reference loaders raise: every problem found, one readable line each."""

from __future__ import annotations

from collections.abc import Iterable


class ReferenceDataError(Exception):
    """Reference data that cannot be used; each line names the file, the row and the problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))
