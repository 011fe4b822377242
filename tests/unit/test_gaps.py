"""Coverage gaps: the grouping around centres (plain vectors), the questions the feedback store gives for a
period (SQLite and PostgreSQL), and the report's order and closest articles (fake embedder)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from retrieval.errors import BadInput
from retrieval.feedback import FeedbackStore, SqliteFeedbackStore, open_feedback_store
from retrieval.gaps import GapQuestion, check_days, find_gaps, group_by_similarity, group_questions
from retrieval.postgres_feedback import PostgresFeedbackStore
from retrieval.services import Services
from tests.conftest import CatalogBackend

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def unit(angle_degrees: float) -> list[float]:
    """A normalised 2-d vector: the cosine of two of them is the cosine of the angle between them."""
    a = math.radians(angle_degrees)
    return [math.cos(a), math.sin(a)]


def test_each_group_is_a_centre_and_what_is_near_it_largest_first() -> None:
    # within 15°: 0 and 20 degrees are both near 10 but not near each other; 90 and 95 are a pair
    vectors = [unit(0), unit(90), unit(10), unit(180), unit(20), unit(95)]
    groups = group_by_similarity(vectors, threshold=math.cos(math.radians(15)))
    assert groups == [[2, 0, 4], [1, 5], [3]]  # the centre first: 10° is near both others


def test_near_neighbours_do_not_chain_into_one_group() -> None:
    # each is near the next (cos 40° = 0.77): a chain would make one group of four; a group is what is
    # near its centre (40°), so 120° (0.17 from 40°) starts a group of its own
    groups = group_by_similarity([unit(0), unit(40), unit(80), unit(120)], threshold=0.7)
    assert groups == [[1, 0, 2], [3]]
    assert group_by_similarity([], threshold=0.7) == []


def test_questions_naming_places_but_none_in_common_are_never_one_gap() -> None:
    vectors = [unit(0), unit(2), unit(4), unit(6)]  # all near one another
    places = [frozenset({"India"}), frozenset({"Pakistan"}), frozenset(), frozenset({"India", "Pakistan"})]
    groups = group_by_similarity(vectors, threshold=0.9, places=places)
    # the unnamed one is near all; of India and Pakistan its nearer (2° away, not 4°) joins it, with the
    # one naming both; India, naming a place Pakistan does not, is left for a group of its own
    assert groups == [[2, 1, 3], [0]]
    assert group_by_similarity(vectors, threshold=0.9) == [[0, 1, 2, 3]]  # the vectors alone: one group


class TableEmbedder:
    """Vectors from a table (and the texts it was asked to embed, to count the batches)."""

    name = "table"
    dimension = 2

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table
        self.batches: list[list[str]] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        return [self.table[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.table[text]

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def asked(
    question: str, hours_ago: float, *, refused: bool = True, reasons: tuple[str, ...] = ()
) -> GapQuestion:
    return GapQuestion(
        answer_id=f"{question}-{hours_ago}",
        question=question,
        asked_at=NOW - dt.timedelta(hours=hours_ago),
        refused=refused,
        down_votes=len(reasons),
        reasons=reasons,
    )


def test_questions_are_grouped_from_one_batch_of_distinct_wordings_and_sorted_by_count() -> None:
    embedder = TableEmbedder({"Budget?": unit(0), "ILRS cost": unit(5), "who leads nasa": unit(90)})
    questions = [
        asked("who leads nasa", 1),
        asked("ILRS cost", 2, refused=False, reasons=("no figure given",)),
        asked("Budget?", 3),
        asked("budget?", 4),
    ]
    groups = group_questions(questions, embedder, threshold=0.9)
    assert embedder.batches == [["who leads nasa", "ILRS cost", "Budget?"]]  # one batch, case folded
    assert [(g.count, g.refused, g.down_votes) for g in groups] == [(3, 2, 1), (1, 1, 0)]
    budget = groups[0]
    assert budget.example in ("Budget?", "ILRS cost")
    assert budget.distinct_questions() == ["ILRS cost", "Budget?"]  # newest first, each wording once
    assert budget.reasons == ["no figure given"]
    assert groups[1].example == "who leads nasa"


def test_groups_of_the_same_size_put_the_most_recently_asked_first() -> None:
    embedder = TableEmbedder({"a": unit(0), "b": unit(90)})
    groups = group_questions([asked("a", 5), asked("b", 1)], embedder, threshold=0.9)
    assert [g.example for g in groups] == ["b", "a"]


@pytest.mark.parametrize("days", [0, -3, 366, True, 2.5])
def test_a_period_outside_one_to_365_days_is_refused(days: object) -> None:
    with pytest.raises(BadInput, match="from 1 to 365"):
        check_days(days)  # type: ignore[arg-type]
    assert check_days(30) == 30 and check_days(365) == 365


@pytest.fixture
def feedback(tmp_path: Path, catalog_backend: CatalogBackend) -> Iterator[FeedbackStore]:
    store = open_feedback_store(catalog_backend.settings(tmp_path))
    yield store
    store.close()


def backdate(store: FeedbackStore, answer_id: str, days: float) -> None:
    """Make an answer (and its votes) `days` days old, in the store's own table."""
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    if isinstance(store, SqliteFeedbackStore):
        stamp = when.strftime("%Y-%m-%d %H:%M:%S")
        store._conn.execute("UPDATE answers SET created_at = ? WHERE answer_id = ?", (stamp, answer_id))
        store._conn.execute("UPDATE votes SET voted_at = ? WHERE answer_id = ?", (stamp, answer_id))
        return
    assert isinstance(store, PostgresFeedbackStore)
    with store._pool.connection() as conn:
        conn.execute("UPDATE feedback_answers SET created_at = %s WHERE answer_id = %s", (when, answer_id))
        conn.execute("UPDATE feedback_votes SET voted_at = %s WHERE answer_id = %s", (when, answer_id))


@pytest.mark.both_catalogs
def test_the_store_gives_the_periods_refused_and_down_voted_questions_with_their_comments(
    feedback: FeedbackStore,
) -> None:
    store = feedback
    refused = store.record_answer("what is the ILRS budget?", "I couldn't find that", refused=True)
    wrong = store.record_answer("when did egypt join?", "In 2020 [1]", refused=False)
    store.vote(wrong, 1, up=False)
    store.set_reason(wrong, 1, "the date is wrong")
    store.vote(wrong, 2, up=False)
    liked = store.record_answer("who leads nasa?", "…", refused=False)
    store.vote(liked, 1, up=True)
    store.record_answer("how many signatories?", "…", refused=False)  # answered, no vote: not a gap
    old = store.record_answer("old refused question", "…", refused=True)
    backdate(store, old, 40)
    revisited = store.record_answer("old answer voted down today", "…", refused=False)
    backdate(store, revisited, 40)
    store.set_reason(revisited, 3, "out of date")  # a 👎 in the period, on an answer from before it

    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    questions = store.gap_questions(since)
    by_question = {q.question: q for q in questions}
    assert set(by_question) == {
        "what is the ILRS budget?",
        "when did egypt join?",
        "old answer voted down today",
    }
    assert [q.answer_id for q in questions[:2]] == [wrong, refused]  # newest first
    assert (by_question["when did egypt join?"].down_votes, by_question["when did egypt join?"].reasons) == (
        2,
        ("the date is wrong",),
    )
    budget = by_question["what is the ILRS budget?"]
    assert (budget.refused, budget.down_votes, budget.reasons) == (True, 0, ())
    assert by_question["old answer voted down today"].reasons == ("out of date",)
    assert all(q.asked_at.tzinfo is not None for q in questions)
    assert abs(budget.asked_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert len(store.gap_questions(since, limit=1)) == 1
    older = store.gap_questions(dt.datetime.now(dt.UTC) - dt.timedelta(days=60))
    assert "old refused question" in {q.question for q in older}


class ListSource:
    def __init__(self, questions: list[GapQuestion]) -> None:
        self.questions = questions
        self.since: dt.datetime | None = None

    def gap_questions(self, since: dt.datetime, limit: int = 2000) -> list[GapQuestion]:
        self.since = since
        return self.questions[:limit]


def test_find_gaps_names_each_groups_closest_article_and_keeps_the_largest_groups(services: Services) -> None:
    services.reindex()
    source = ListSource(
        [asked("Egypt ILRS?", 1), asked("egypt ilrs?", 2), asked("Finland accords signing", 3)]
    )
    report = find_gaps(source, services.embedder, services.searcher, days=7, now=NOW, max_groups=1)
    assert source.since == NOW - dt.timedelta(days=7)
    assert (report.questions, report.more_groups, len(report.groups)) == (3, 1, 1)
    [group] = report.groups
    assert (group.count, group.example) == (2, "Egypt ILRS?")
    assert group.closest is not None and (group.closest.doc_id, group.closest.title) == (
        "egypt-ilrs",
        "Egypt joins the ILRS",
    )
    assert group.closest.url == "https://example.org/egypt-ilrs"
    assert report.to_json()["groups"][0]["closest_article"]["doc_id"] == "egypt-ilrs"  # type: ignore[index]


@pytest.mark.both_catalogs
def test_with_nothing_indexed_a_group_has_no_closest_article(services: Services) -> None:
    report = find_gaps(ListSource([asked("Egypt ILRS?", 1)]), services.embedder, services.searcher, now=NOW)
    assert [(g.example, g.closest) for g in report.groups] == [("Egypt ILRS?", None)]
