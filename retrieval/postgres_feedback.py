"""Feedback votes in PostgreSQL (DATABASE_URL), in the catalog's database: every bot process, on any
machine, records answers and votes in the same tables, so a vote on an answer given by another process
is counted, and /status counts them all. Its tables are the "feedback" component's migrations.

One vote per user per answer holds across processes by the primary key (answer, user) and an upsert:
two processes recording the same user's vote at once leave one row, the later vote.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from retrieval.feedback import SALT, FeedbackStore, new_answer_id, tidy_reason
from retrieval.gaps import MAX_QUESTIONS, GapQuestion
from retrieval.postgres_pool import DatabasePool
from retrieval.postgres_schema import Migration, migrate

COMPONENT = "feedback"

MIGRATIONS = [
    Migration(
        1,
        "answers given and one vote per user per answer, with what was wrong",
        """
        CREATE TABLE feedback_answers (
            answer_id text PRIMARY KEY, question text NOT NULL, answer text NOT NULL, refused boolean NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE feedback_votes (
            answer_id text NOT NULL REFERENCES feedback_answers ON DELETE CASCADE, user_hash text NOT NULL,
            vote smallint NOT NULL CHECK (vote IN (-1, 1)), voted_at timestamptz NOT NULL DEFAULT now(),
            reason text, PRIMARY KEY (answer_id, user_hash)
        );
        """,
    ),
    Migration(
        2,
        "indexes for the coverage gaps: answers by time, down votes by time",
        """
        CREATE INDEX feedback_answers_created_at ON feedback_answers (created_at);
        CREATE INDEX feedback_votes_down_voted_at ON feedback_votes (voted_at) WHERE vote < 0;
        """,
    ),
]


def _count(conn: Any, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


class PostgresFeedbackStore(FeedbackStore):
    """Feedback in PostgreSQL, through a small connection pool; safe to share between threads."""

    def __init__(self, url: str, salt: str = SALT, *, pool_size: int = 2) -> None:
        super().__init__(salt)
        self._pool = DatabasePool(url, name="feedback", max_size=pool_size, min_size=0)
        self.location = self._pool.location
        try:
            with self._pool.connection() as conn:
                migrate(conn, COMPONENT, MIGRATIONS, self.location)
        except BaseException:
            self._pool.close()
            raise

    def record_answer(self, question: str, answer: str, refused: bool) -> str:
        answer_id = new_answer_id()
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO feedback_answers(answer_id, question, answer, refused) VALUES (%s, %s, %s, %s)",
                (answer_id, question, answer, refused),
            )
        return answer_id

    def vote(self, answer_id: str, user_id: int, up: bool) -> bool:
        with self._pool.connection() as conn:
            cur = conn.execute(
                "INSERT INTO feedback_votes(answer_id, user_hash, vote) "
                "SELECT answer_id, %s, %s FROM feedback_answers WHERE answer_id = %s "
                "ON CONFLICT (answer_id, user_hash) DO UPDATE SET vote = excluded.vote, voted_at = now(), "
                "reason = CASE WHEN excluded.vote > 0 THEN NULL ELSE feedback_votes.reason END",
                (self.hash_user(user_id), 1 if up else -1, answer_id),
            )
            return cur.rowcount > 0

    def current_vote(self, answer_id: str, user_id: int) -> tuple[int, str] | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT vote, reason FROM feedback_votes WHERE answer_id = %s AND user_hash = %s",
                (answer_id, self.hash_user(user_id)),
            ).fetchone()
        return None if row is None else (int(row[0]), row[1] or "")

    def clear_vote(self, answer_id: str, user_id: int) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "DELETE FROM feedback_votes WHERE answer_id = %s AND user_hash = %s",
                (answer_id, self.hash_user(user_id)),
            )

    def set_reason(self, answer_id: str, user_id: int, reason: str) -> bool:
        reason = tidy_reason(reason)
        with self._pool.connection() as conn:
            cur = conn.execute(
                "INSERT INTO feedback_votes(answer_id, user_hash, vote, reason) "
                "SELECT answer_id, %s, -1, %s FROM feedback_answers WHERE answer_id = %s "
                "ON CONFLICT (answer_id, user_hash) DO UPDATE SET vote = -1, reason = excluded.reason, "
                "voted_at = now()",
                (self.hash_user(user_id), reason or None, answer_id),
            )
            return cur.rowcount > 0

    def gap_questions(self, since: dt.datetime, limit: int = MAX_QUESTIONS) -> list[GapQuestion]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT a.answer_id, a.question, a.created_at, a.refused, count(v.vote), "
                "coalesce(array_agg(v.reason ORDER BY v.voted_at DESC) FILTER (WHERE v.reason IS NOT NULL), "
                "'{}') "
                "FROM feedback_answers a LEFT JOIN feedback_votes v ON v.answer_id = a.answer_id AND v.vote < 0 "
                "WHERE a.created_at >= %(since)s OR a.answer_id IN "
                "(SELECT answer_id FROM feedback_votes WHERE vote < 0 AND voted_at >= %(since)s) "
                "GROUP BY a.answer_id HAVING a.refused OR count(v.vote) > 0 "
                "ORDER BY a.created_at DESC, a.answer_id LIMIT %(limit)s",
                {"since": since, "limit": limit},
            ).fetchall()
        return [
            GapQuestion(
                answer_id=row[0],
                question=row[1],
                asked_at=row[2].astimezone(dt.UTC),
                refused=bool(row[3]),
                down_votes=int(row[4]),
                reasons=tuple(row[5]),
            )
            for row in rows
        ]

    def counts(self) -> dict[str, int]:
        with self._pool.connection() as conn:
            answers = _count(conn, "SELECT count(*) FROM feedback_answers")
            row = conn.execute(
                "SELECT count(*) FILTER (WHERE vote > 0), count(*) FILTER (WHERE vote < 0), "
                "count(*) FILTER (WHERE vote < 0 AND reason IS NOT NULL) FROM feedback_votes"
            ).fetchone()
        up, down, reasons = (int(x) for x in row) if row else (0, 0, 0)
        return {"answers": answers, "up": up, "down": down, "reasons": reasons}

    def close(self) -> None:
        self._pool.close()
