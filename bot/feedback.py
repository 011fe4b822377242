"""Answers and 👍/👎 votes in a SQLite file under the data directory (no discord import)."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import uuid
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, refused INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL, user_hash TEXT NOT NULL, vote INTEGER NOT NULL,
    voted_at TEXT NOT NULL DEFAULT (datetime('now')), PRIMARY KEY (answer_id, user_hash)
);
"""


class FeedbackStore:
    """Records each answer given and at most one vote per user per answer (a new vote replaces the old)."""

    def __init__(self, path: Path, salt: str = "coalition-bot") -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._salt = salt
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    def record_answer(self, question: str, answer: str, refused: bool) -> str:
        """Store an answer; returns its id (used in the vote buttons)."""
        answer_id = uuid.uuid4().hex[:16]
        with self._lock:
            self._conn.execute("INSERT INTO answers(answer_id, question, answer, refused) VALUES (?, ?, ?, ?)",
                               (answer_id, question, answer, int(refused)))
        return answer_id

    def hash_user(self, user_id: int) -> str:
        """Votes keep a salted hash of the user id, never the id itself."""
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()[:24]

    def vote(self, answer_id: str, user_id: int, up: bool) -> bool:
        """Record a vote; False if the answer id is unknown."""
        with self._lock:
            if self._conn.execute("SELECT 1 FROM answers WHERE answer_id = ?", (answer_id,)).fetchone() is None:
                return False
            self._conn.execute(
                "INSERT INTO votes(answer_id, user_hash, vote) VALUES (?, ?, ?) ON CONFLICT(answer_id, user_hash) "
                "DO UPDATE SET vote = excluded.vote, voted_at = datetime('now')",
                (answer_id, self.hash_user(user_id), 1 if up else -1))
        return True

    def counts(self) -> dict[str, int]:
        """Answers given, and up and down votes."""
        with self._lock:
            answers = self._conn.execute("SELECT count(*) FROM answers").fetchone()[0]
            up = self._conn.execute("SELECT count(*) FROM votes WHERE vote > 0").fetchone()[0]
            down = self._conn.execute("SELECT count(*) FROM votes WHERE vote < 0").fetchone()[0]
        return {"answers": answers, "up": up, "down": down}

    def close(self) -> None:
        self._conn.close()
