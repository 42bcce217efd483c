"""The event status lifecycle: which moves are forward, skips, backward, or impossible."""

from __future__ import annotations

import pytest

from models.enums import EventStatus as S
from services.rules.lifecycle import (
    Block,
    Move,
    classify,
    needs_reason,
    next_status,
    plan,
    targets,
)


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        (S.DRAFT, S.REGISTRATION, Move.FORWARD),
        (S.REGISTRATION, S.CONDUCTING, Move.FORWARD),
        (S.CONDUCTING, S.SUMMARIZING, Move.FORWARD),
        (S.SUMMARIZING, S.FINISHED, Move.FORWARD),
        (S.DRAFT, S.CONDUCTING, Move.SKIP),
        (S.REGISTRATION, S.FINISHED, Move.SKIP),
        (S.REGISTRATION, S.DRAFT, Move.BACK),
        (S.FINISHED, S.SUMMARIZING, Move.BACK),
        (S.CANCELLED, S.REGISTRATION, Move.BACK),
        (S.DRAFT, S.CANCELLED, Move.CANCEL),
        (S.SUMMARIZING, S.CANCELLED, Move.CANCEL),
        (S.FINISHED, S.CANCELLED, Block.FINAL),
        (S.CONDUCTING, S.CONDUCTING, Block.SAME),
        (S.CANCELLED, S.CANCELLED, Block.SAME),
    ],
)
def test_classify(current: S, target: S, expected: Move | Block) -> None:
    assert classify(current, target) == expected


def test_only_skips_and_backward_moves_need_a_reason() -> None:
    assert [m for m in Move if needs_reason(m)] == [Move.SKIP, Move.BACK]


def test_next_status_walks_the_lifecycle_once() -> None:
    walk, status = [], S.DRAFT
    while status is not None:
        walk.append(status)
        status = next_status(status)
    assert walk == [S.DRAFT, S.REGISTRATION, S.CONDUCTING, S.SUMMARIZING, S.FINISHED]
    assert next_status(S.CANCELLED) is None


def test_targets_put_the_usual_step_first() -> None:
    assert targets(S.REGISTRATION)[0] == (S.CONDUCTING, Move.FORWARD)
    assert S.CANCELLED not in [status for status, _ in targets(S.FINISHED)]
    assert S.REGISTRATION not in [status for status, _ in targets(S.REGISTRATION)]
    assert {m for _, m in targets(S.CANCELLED)} == {Move.BACK}


def test_plan_counts_changes_and_explains_the_rest() -> None:
    events = [
        (1, S.REGISTRATION),
        (2, S.REGISTRATION),
        (3, S.CONDUCTING),
        (4, S.FINISHED),
        (5, S.DRAFT),
    ]
    found = plan(events, S.CANCELLED)
    assert found.counts() == [
        (S.DRAFT, S.CANCELLED, 1),
        (S.REGISTRATION, S.CANCELLED, 2),
        (S.CONDUCTING, S.CANCELLED, 1),
    ]
    assert [(b.event_id, b.block) for b in found.blocked] == [(4, Block.FINAL)]
    assert not found.needs_reason
    assert plan(events, S.CONDUCTING).needs_reason  # draft → conducting skips a step


def test_fingerprint_changes_with_what_the_preview_showed() -> None:
    events = [(1, S.REGISTRATION), (2, S.REGISTRATION)]
    first = plan(events, S.CONDUCTING).fingerprint()
    assert first == plan(list(reversed(events)), S.CONDUCTING).fingerprint()
    assert first != plan([(1, S.REGISTRATION), (2, S.DRAFT)], S.CONDUCTING).fingerprint()
    assert first != plan(events, S.CANCELLED).fingerprint()
