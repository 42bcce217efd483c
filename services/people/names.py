"""People's names as typed: the one cleaning every name passes through before it is stored.

Direction controls (U+202E "right-to-left override" and friends) are invisible, yet they
reorder everything after them on a line, so a name holding one scrambles the list, report or
message it is shown in. They have no place in a name and are removed wherever they are.
Zero-width spaces and joiners can belong inside a word (some scripts, emoji), not around it.
"""

from __future__ import annotations

import re

# Embeddings, overrides and isolates, the marks, and the Arabic letter mark.
_DIRECTION_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_INVISIBLE_EDGES = "\u200b\u200c\u200d\u2060\ufeff\u180e"


def tidy_name(raw: str) -> str:
    """The name without direction controls, its words without invisible edges, one space apart."""
    words = (word.strip(_INVISIBLE_EDGES) for word in _DIRECTION_CONTROLS.sub("", raw).split())
    return " ".join(word for word in words if word)
