"""Finding the person a line or a file row names among the people the caller may touch.

People give their names in any order and case ("Иванов Иван", "иван иванов", with or without a
patronymic, ё or е); a row matches when its surname and name are both in the stored full name,
and its patronymic too when the stored name has one. The grade breaks ties between namesakes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from services.errors import Refused
from services.people.names import tidy_name

T = TypeVar("T")
_NOT_NAME = re.compile(r"[^\w\s-]")
_MIN_TOKENS = 2  # a surname and a name
_SHOWN = 60  # characters of a typed name quoted back: a file cell can hold anything


@dataclass(frozen=True)
class GivenName:
    surname: str
    name: str
    patronymic: str = ""

    @classmethod
    def from_text(cls, text: str) -> GivenName:
        """ "Фамилия Имя [Отчество]" as typed in a chat line."""
        text = tidy_name(text)
        parts = text.split()
        if len(tokens(text)) < _MIN_TOKENS or len(parts) < _MIN_TOKENS:
            raise Refused("res_name_too_short", name=text.strip()[:_SHOWN])
        return cls(parts[0], parts[1], " ".join(parts[2:]))

    @property
    def display(self) -> str:
        """As the person wrote it (matching ignores case and ё)."""
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)


def tokens(text: str) -> tuple[str, ...]:
    cleaned = _NOT_NAME.sub(" ", text.casefold().replace("ё", "е"))
    return tuple(t for t in cleaned.split() if t.strip("-"))


def matches(given: GivenName, full_name: str) -> bool:
    have = list(tokens(full_name))
    wanted = [*tokens(given.surname), *tokens(given.name)]
    if len(have) > len(wanted):
        wanted.extend(tokens(given.patronymic))
    for token in wanted:
        if token not in have:
            return False
        have.remove(token)
    return bool(wanted)


class NameIndex(Generic[T]):
    """People by each word of their name, so that a row is compared with its namesakes only."""

    def __init__(self, people: Iterable[T], name_of: Callable[[T], str]) -> None:
        self._by_word: dict[str, list[T]] = {}
        for person in people:
            for word in set(tokens(name_of(person))):
                self._by_word.setdefault(word, []).append(person)

    def candidates(self, given: GivenName) -> list[T]:
        surname = tokens(given.surname)
        return self._by_word.get(surname[0], []) if surname else []


def pick(
    people: Sequence[T],
    given: GivenName,
    grade: int | None,
    *,
    name_of: Callable[[T], str],
    grade_of: Callable[[T], int | None],
) -> T:
    """The one person the row means, or a refusal: nobody, or more than one."""
    found = [p for p in people if matches(given, name_of(p))]
    if len(found) > 1 and grade is not None:
        found = [p for p in found if grade_of(p) == grade]
    if not found:
        raise Refused("res_person_not_found", name=given.display[:_SHOWN])
    if len(found) > 1:
        raise Refused("res_person_ambiguous", name=given.display[:_SHOWN])
    return found[0]
