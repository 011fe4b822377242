"""Answers and 👍/👎 votes (with what was wrong, when someone says); one interface, two stores (no discord import).

`FeedbackStore` is what the bot uses; `open_feedback_store` picks the store from the settings: a SQLite
file in DATA_DIR (below, `SqliteFeedbackStore`), or PostgreSQL beside the catalog when DATABASE_URL is
set (retrieval/postgres_feedback.py), so that bot processes on several machines record and count votes on
each other's answers. Either way a user has at most one vote per answer, however many processes record it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
import uuid
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.errors import StorageError
from retrieval.gaps import MAX_QUESTIONS, GapQuestion

if TYPE_CHECKING:
    from config.settings import Settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, refused INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL, user_hash TEXT NOT NULL, vote INTEGER NOT NULL,
    voted_at TEXT NOT NULL DEFAULT (datetime('now')), reason TEXT, PRIMARY KEY (answer_id, user_hash)
);
CREATE INDEX IF NOT EXISTS answers_created_at ON answers (created_at);
CREATE INDEX IF NOT EXISTS votes_down_voted_at ON votes (voted_at) WHERE vote < 0;
"""
# SQLite's datetime('now') text, in UTC: compared as text, so `since` is written the same way
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S"
MAX_REASON_CHARS = 1000
SALT = "coalition-bot"


def tidy_reason(reason: str) -> str:
    """What was wrong, on one line and within the limit."""
    return " ".join(reason.split())[:MAX_REASON_CHARS]


def new_answer_id() -> str:
    """A random id for an answer (16 hex digits: the buttons' custom ids carry it)."""
    return uuid.uuid4().hex[:16]


class FeedbackStore(ABC):
    """Records each answer given and at most one vote per user per answer (a new vote replaces the old);
    a 👎 may carry what was wrong."""

    location: str  # where it lives, for messages (never a password)

    def __init__(self, salt: str = SALT) -> None:
        self._salt = salt

    def hash_user(self, user_id: int) -> str:
        """Votes keep a salted hash of the user id, never the id itself."""
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()[:24]

    @abstractmethod
    def record_answer(self, question: str, answer: str, refused: bool) -> str:
        """Store an answer; returns its id (used in the vote buttons)."""

    @abstractmethod
    def vote(self, answer_id: str, user_id: int, up: bool) -> bool:
        """Record (or change) a vote; a 👍 drops an earlier 👎's reason. False if the answer id is unknown."""

    @abstractmethod
    def current_vote(self, answer_id: str, user_id: int) -> tuple[int, str] | None:
        """(1 or -1, the reason given or '') for this user's vote on this answer, or None."""

    @abstractmethod
    def clear_vote(self, answer_id: str, user_id: int) -> None:
        """Take a vote back."""

    @abstractmethod
    def set_reason(self, answer_id: str, user_id: int, reason: str) -> bool:
        """Store what was wrong with the user's 👎 (making the vote a 👎 if it was not); False if unknown."""

    @abstractmethod
    def gap_questions(self, since: dt.datetime, limit: int = MAX_QUESTIONS) -> list[GapQuestion]:
        """Answers refused or voted 👎 that were given since `since`, or voted 👎 since then; newest
        first, at most `limit`, each with its 👎 count and comments (what was wrong)."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Answers given, up and down votes, and down votes that say what was wrong."""

    @abstractmethod
    def close(self) -> None:
        """Release the store's connections."""


def open_feedback_store(settings: Settings) -> FeedbackStore:
    """The feedback store the settings name: PostgreSQL when DATABASE_URL is set, else a SQLite file in DATA_DIR."""
    if settings.database_url is not None:
        from retrieval.postgres_feedback import PostgresFeedbackStore

        return PostgresFeedbackStore(settings.database_url.get_secret_value())
    path = Path(settings.data_dir) / "feedback.sqlite3"
    try:
        return SqliteFeedbackStore(path)
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):  # otherwise: the data folder's problem
            raise StorageError(
                f"the feedback store {path} is damaged ({exc}); move it aside and start the bot again "
                "(the votes in it are lost)"
            ) from exc
        raise


class SqliteFeedbackStore(FeedbackStore):
    """Feedback in a SQLite file (WAL mode: several processes sharing the data folder may write)."""

    def __init__(self, path: Path, salt: str = SALT) -> None:
        super().__init__(salt)
        self.path = Path(path)
        self.location = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)
        if "reason" not in {r[1] for r in self._conn.execute("PRAGMA table_info(votes)")}:
            self._conn.execute("ALTER TABLE votes ADD COLUMN reason TEXT")  # a store from before reasons

    def record_answer(self, question: str, answer: str, refused: bool) -> str:
        answer_id = new_answer_id()
        with self._lock:
            self._conn.execute(
                "INSERT INTO answers(answer_id, question, answer, refused) VALUES (?, ?, ?, ?)",
                (answer_id, question, answer, int(refused)),
            )
        return answer_id

    def _known(self, answer_id: str) -> bool:
        return (
            self._conn.execute("SELECT 1 FROM answers WHERE answer_id = ?", (answer_id,)).fetchone()
            is not None
        )

    def vote(self, answer_id: str, user_id: int, up: bool) -> bool:
        with self._lock:
            if not self._known(answer_id):
                return False
            self._conn.execute(
                "INSERT INTO votes(answer_id, user_hash, vote) VALUES (?, ?, ?) ON CONFLICT(answer_id, user_hash) "
                "DO UPDATE SET vote = excluded.vote, voted_at = datetime('now'), "
                "reason = CASE WHEN excluded.vote > 0 THEN NULL ELSE votes.reason END",
                (answer_id, self.hash_user(user_id), 1 if up else -1),
            )
        return True

    def current_vote(self, answer_id: str, user_id: int) -> tuple[int, str] | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT vote, reason FROM votes WHERE answer_id = ? AND user_hash = ?",
                (answer_id, self.hash_user(user_id)),
            ).fetchone()
        return None if row is None else (int(row[0]), row[1] or "")

    def clear_vote(self, answer_id: str, user_id: int) -> None:
        with self._lock:
            self._conn.execute(
                "DELETE FROM votes WHERE answer_id = ? AND user_hash = ?",
                (answer_id, self.hash_user(user_id)),
            )

    def set_reason(self, answer_id: str, user_id: int, reason: str) -> bool:
        reason = tidy_reason(reason)
        with self._lock:
            if not self._known(answer_id):
                return False
            self._conn.execute(
                "INSERT INTO votes(answer_id, user_hash, vote, reason) VALUES (?, ?, -1, ?) "
                "ON CONFLICT(answer_id, user_hash) DO UPDATE SET vote = -1, reason = excluded.reason, "
                "voted_at = datetime('now')",
                (answer_id, self.hash_user(user_id), reason or None),
            )
        return True

    def gap_questions(self, since: dt.datetime, limit: int = MAX_QUESTIONS) -> list[GapQuestion]:
        cutoff = since.astimezone(dt.UTC).strftime(_SQLITE_TIME)
        with self._lock:
            rows = self._conn.execute(
                "SELECT a.answer_id, a.question, a.created_at, a.refused, count(v.vote), "
                "json_group_array(v.reason) FILTER (WHERE v.reason IS NOT NULL) "
                "FROM answers a LEFT JOIN votes v ON v.answer_id = a.answer_id AND v.vote < 0 "
                "WHERE a.created_at >= :since OR a.answer_id IN "
                "(SELECT answer_id FROM votes WHERE vote < 0 AND voted_at >= :since) "
                "GROUP BY a.answer_id HAVING a.refused OR count(v.vote) > 0 "
                "ORDER BY a.created_at DESC, a.rowid DESC LIMIT :limit",
                {"since": cutoff, "limit": limit},
            ).fetchall()
        return [
            GapQuestion(
                answer_id=row[0],
                question=row[1],
                asked_at=dt.datetime.strptime(row[2], _SQLITE_TIME).replace(tzinfo=dt.UTC),
                refused=bool(row[3]),
                down_votes=int(row[4]),
                reasons=tuple(json.loads(row[5] or "[]")),
            )
            for row in rows
        ]

    def counts(self) -> dict[str, int]:
        with self._lock:
            answers = self._conn.execute("SELECT count(*) FROM answers").fetchone()[0]
            up = self._conn.execute("SELECT count(*) FROM votes WHERE vote > 0").fetchone()[0]
            down = self._conn.execute("SELECT count(*) FROM votes WHERE vote < 0").fetchone()[0]
            reasons = self._conn.execute(
                "SELECT count(*) FROM votes WHERE vote < 0 AND reason IS NOT NULL"
            ).fetchone()[0]
        return {"answers": answers, "up": up, "down": down, "reasons": reasons}

    def close(self) -> None:
        self._conn.close()
