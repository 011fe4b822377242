"""Admin checks, the per-user cooldown, and the feedback store (in SQLite and in PostgreSQL)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.guards import ADMINISTRATOR, MANAGE_GUILD, Cooldown, is_admin
from config.settings import Settings
from retrieval.feedback import FeedbackStore, SqliteFeedbackStore, open_feedback_store
from retrieval.postgres_feedback import PostgresFeedbackStore
from tests.conftest import CatalogBackend
from tests.helpers import make_settings
from tests.postgres_server import PostgresServer


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


@pytest.fixture
def feedback(tmp_path: Path, catalog_backend: CatalogBackend) -> Iterator[FeedbackStore]:
    """The feedback store the test's settings name: SQLite in DATA_DIR, or PostgreSQL beside the catalog."""
    store = open_feedback_store(catalog_backend.settings(tmp_path))
    yield store
    store.close()


def _stored_user_ids(store: FeedbackStore) -> set[str]:
    """What the store keeps to tell voters apart, read from its own table."""
    if isinstance(store, SqliteFeedbackStore):
        return {r[0] for r in store._conn.execute("SELECT user_hash FROM votes")}
    assert isinstance(store, PostgresFeedbackStore)
    with store._pool.connection() as conn:
        return {r[0] for r in conn.execute("SELECT user_hash FROM feedback_votes")}


@pytest.mark.both_catalogs
def test_feedback_counts_one_vote_per_user_per_answer_and_hashes_users(feedback: FeedbackStore) -> None:
    store = feedback
    answer_id = store.record_answer("q", "a", refused=False)
    assert store.vote(answer_id, 123, up=True) and store.vote(answer_id, 123, up=False)
    assert store.vote(answer_id, 456, up=False)
    assert not store.vote("0" * 16, 123, up=True)
    assert store.counts() == {"answers": 1, "up": 0, "down": 2, "reasons": 0}
    stored = _stored_user_ids(store)
    assert stored == {store.hash_user(123), store.hash_user(456)} and "123" not in stored
    assert store.hash_user(123) != store.hash_user(456) and len(store.hash_user(123)) == 24


@pytest.mark.both_catalogs
def test_a_vote_can_be_seen_changed_taken_back_and_a_down_vote_says_what_was_wrong(
    feedback: FeedbackStore,
) -> None:
    store = feedback
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


def _vote_many(settings: Settings, answer_ids: list[str]) -> None:
    """One process's votes: users 1 to 20 each vote 👎 then 👍 on every answer, then user 1 says why (👎)."""
    store = open_feedback_store(settings)
    try:
        for answer_id in answer_ids:
            for user in range(1, 21):
                store.vote(answer_id, user, up=False)
                store.vote(answer_id, user, up=True)
            store.set_reason(answer_id, 1, "the date is wrong")
    finally:
        store.close()


@pytest.mark.both_catalogs
def test_votes_from_two_processes_count_once_per_user_and_answer(
    tmp_path: Path, catalog_backend: CatalogBackend, feedback: FeedbackStore
) -> None:
    settings = catalog_backend.settings(tmp_path)
    answer_ids = [feedback.record_answer(f"q{i}", "a", refused=False) for i in range(5)]
    spawn = multiprocessing.get_context("spawn")
    voters = [spawn.Process(target=_vote_many, args=(settings, answer_ids)) for _ in range(2)]
    for voter in voters:
        voter.start()
    for voter in voters:
        voter.join(120)
    assert [v.exitcode for v in voters] == [0, 0]
    # 20 users on 5 answers: 100 votes however many processes recorded them; user 1's last word is 👎
    assert feedback.counts() == {"answers": 5, "up": 95, "down": 5, "reasons": 5}
    assert feedback.current_vote(answer_ids[0], 1) == (-1, "the date is wrong")
    assert feedback.current_vote(answer_ids[0], 2) == (1, "")


@pytest.mark.postgres
def test_a_vote_on_an_answer_another_node_gave_is_recorded_and_counted_by_both(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = postgres_server.create_database()
    node_a = open_feedback_store(make_settings(tmp_path / "a", database_url=url))
    node_b = open_feedback_store(make_settings(tmp_path / "b", database_url=url))
    try:
        answer_id = node_a.record_answer("When did Egypt join the ILRS?", "On 6 December 2023 [1].", False)
        assert node_b.vote(answer_id, 7, up=False) and node_b.set_reason(answer_id, 7, "no source")
        assert node_a.current_vote(answer_id, 7) == (-1, "no source")
        assert node_a.counts() == node_b.counts() == {"answers": 1, "up": 0, "down": 1, "reasons": 1}
        assert not (tmp_path / "a" / "data" / "feedback.sqlite3").exists()
        assert not (tmp_path / "b" / "data" / "feedback.sqlite3").exists()
    finally:
        node_a.close()
        node_b.close()
        postgres_server.drop_database(url)


def test_a_feedback_store_from_before_reasons_gains_the_column(tmp_path: Path) -> None:
    import sqlite3

    old = sqlite3.connect(tmp_path / "feedback.sqlite3")
    old.execute(
        "CREATE TABLE votes (answer_id TEXT NOT NULL, user_hash TEXT NOT NULL, vote INTEGER NOT NULL, "
        "voted_at TEXT NOT NULL DEFAULT (datetime('now')), PRIMARY KEY (answer_id, user_hash))"
    )
    old.commit()
    old.close()
    store = SqliteFeedbackStore(tmp_path / "feedback.sqlite3")
    answer_id = store.record_answer("q", "a", refused=False)
    assert store.set_reason(answer_id, 1, "wrong") and store.current_vote(answer_id, 1) == (-1, "wrong")
