"""Admin checks, the per-user cooldown, and the feedback store."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.feedback import FeedbackStore
from bot.guards import ADMINISTRATOR, MANAGE_GUILD, Cooldown, is_admin


@pytest.mark.parametrize(
    ("perms", "roles", "admin_roles", "allowed"),
    [
        (MANAGE_GUILD, [], [], True),
        (ADMINISTRATOR, [], [], True),
        (0, [42], [42], True),
        (0, [7], [42], False),
        (1 << 11, [], [], False),  # Send Messages is not enough
    ],
)
def test_is_admin(perms: int, roles: list[int], admin_roles: list[int], allowed: bool) -> None:
    assert is_admin(perms, roles, admin_roles) is allowed


def test_cooldown_is_per_user_and_reports_seconds_left() -> None:
    now = [100.0]
    cooldown = Cooldown(rate=2, per=10, clock=lambda: now[0])
    assert cooldown.try_acquire(1) is None and cooldown.try_acquire(1) is None
    assert cooldown.try_acquire(1) == pytest.approx(10.0)
    assert cooldown.try_acquire(2) is None  # another user is not affected
    now[0] = 104.0
    assert cooldown.try_acquire(1) == pytest.approx(6.0)
    now[0] = 110.0
    assert cooldown.try_acquire(1) is None


def test_feedback_counts_one_vote_per_user_per_answer_and_hashes_users(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    answer_id = store.record_answer("q", "a", refused=False)
    assert store.vote(answer_id, 123, up=True) and store.vote(answer_id, 123, up=False)
    assert store.vote(answer_id, 456, up=False)
    assert not store.vote("0" * 16, 123, up=True)
    assert store.counts() == {"answers": 1, "up": 0, "down": 2, "reasons": 0}
    stored = {r[0] for r in store._conn.execute("SELECT user_hash FROM votes")}
    assert stored == {store.hash_user(123), store.hash_user(456)} and "123" not in stored
    assert store.hash_user(123) != store.hash_user(456) and len(store.hash_user(123)) == 24


def test_a_vote_can_be_seen_changed_taken_back_and_a_down_vote_says_what_was_wrong(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    answer_id = store.record_answer("q", "a", refused=False)
    assert store.current_vote(answer_id, 1) is None
    assert store.vote(answer_id, 1, up=False) and store.set_reason(answer_id, 1, "  the   date is wrong ")
    assert store.current_vote(answer_id, 1) == (-1, "the date is wrong")
    assert store.vote(answer_id, 1, up=True) and store.current_vote(answer_id, 1) == (1, "")  # reason dropped
    store.clear_vote(answer_id, 1)
    assert store.current_vote(answer_id, 1) is None
    assert store.set_reason(answer_id, 2, "x" * 5000) and len(store.current_vote(answer_id, 2)[1]) == 1000
    assert not store.set_reason("0" * 16, 2, "why")
    assert store.counts() == {"answers": 1, "up": 0, "down": 1, "reasons": 1}


def test_a_feedback_store_from_before_reasons_gains_the_column(tmp_path: Path) -> None:
    import sqlite3

    old = sqlite3.connect(tmp_path / "feedback.sqlite3")
    old.execute(
        "CREATE TABLE votes (answer_id TEXT NOT NULL, user_hash TEXT NOT NULL, vote INTEGER NOT NULL, "
        "voted_at TEXT NOT NULL DEFAULT (datetime('now')), PRIMARY KEY (answer_id, user_hash))"
    )
    old.commit()
    old.close()
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    answer_id = store.record_answer("q", "a", refused=False)
    assert store.set_reason(answer_id, 1, "wrong") and store.current_vote(answer_id, 1) == (-1, "wrong")
