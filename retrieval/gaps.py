"""Coverage gaps: the questions refused or voted 👎 in a period, grouped by meaning, each group with the
article that comes closest to it. What tells admins which articles to add next (/gaps and
`python -m retrieval gaps`).

The questions come from the feedback store (retrieval/feedback.py), the meaning from the project's
embedder, the closest article from the searcher; the grouping itself (`group_by_similarity`) is a pure
function of the vectors and the places each question names.

Why the questions are embedded here and not stored when they are answered: the answerer embeds each
question inside the search, and the `Answer` it returns does not carry that vector to the bot, which
records the answer; keeping it would mean a vector column on every answer (a migration on both stores)
and the vector threaded through both answerers. Instead a period's refused and 👎 questions (at most
MAX_QUESTIONS, the newest) are embedded once per distinct wording, in one batch: 300 took 5.8 s with the
default ONNX backend on the 2-core development machine while it was busy with other jobs (load average
8). /gaps runs it in a worker thread, so answering does not wait; if periods grow to thousands of
questions, storing the vector at answer time is the next step.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np

from retrieval.errors import BadInput, IndexEmpty, RegistryError

if TYPE_CHECKING:
    from retrieval.embeddings import Embedder
    from retrieval.search import Searcher
    from retrieval.services import Services

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30
MAX_DAYS = 365
MAX_QUESTIONS = 2000  # the newest ones in the period; bounds the one embedding batch and the n² similarities
MAX_GROUPS = 50  # the largest groups are reported, each with a search for its closest article

SIMILARITY = 0.65
"""Cosine similarity (all-MiniLM-L6-v2, normalised vectors) from which two questions are one gap.

Measured on the model (tests/integration/test_gaps_model.py keeps the pairs that decide it):
rephrasings of one question score 0.68-0.86 ("when did egypt join the ilrs" / "egypt ilrs join date?"
0.68, / "what date did Egypt become an ILRS member?" 0.86; "what is the ILRS budget" / "how much money
does the ILRS cost?" 0.85; "who leads nasa" / "who is the NASA administrator" 0.83), while different
questions about the same coalitions score 0.24-0.54 ("when did egypt join the ilrs" / "when did belarus
join the ilrs" 0.52, / "when did egypt sign the artemis accords" 0.47; "what rocket will ILRS use" /
"when will the ILRS be completed" 0.54) and unrelated ones near 0 ("who leads nasa" 0.07). 0.65 sits in
the gap between the two, a little nearer the rephrasings so that a terse keyword form still joins.

The model barely weighs a country's name ("will India" / "will Pakistan join the ILRS" 0.81), so the
similarity alone would make one gap of questions about different countries, each needing its own
articles. The questions are therefore also read as the answerer reads them (`places_named`: registry
members and other countries, by name, alias, demonym or misspelling), and two questions that both name
places but no place in common are never one gap; a question naming none ("when did it join?") may join
either. What is still one gap: questions that differ in another word the model barely weighs ("where" /
"when will the ILRS be built" 0.94); and a rephrasing that shares no words and needs world knowledge
("ILRS budget" / "funding of the lunar research station" 0.30) stays apart. A group's wordings are
listed (all of them by the command line, up to four in Discord), so an admin sees both.
"""

PlaceReader = Callable[[str], frozenset[str]]


def check_days(days: int) -> int:
    """The period in days, if it is one /gaps accepts (1 to MAX_DAYS); BadInput otherwise."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise BadInput(f"days must be a whole number from 1 to {MAX_DAYS}")
    return days


@dataclass(frozen=True)
class GapQuestion:
    """One answer that was refused or voted 👎: the question as asked, when, and the 👎 comments."""

    answer_id: str
    question: str
    asked_at: dt.datetime  # UTC
    refused: bool
    down_votes: int = 0
    reasons: tuple[str, ...] = ()


class GapSource(Protocol):
    """Where the questions come from (the feedback store)."""

    def gap_questions(self, since: dt.datetime, limit: int = MAX_QUESTIONS) -> list[GapQuestion]:
        """Answers refused or voted 👎 since `since`, newest first."""
        ...


@dataclass(frozen=True)
class ClosestArticle:
    """The indexed article that best matches a group's example question."""

    doc_id: str
    title: str
    url: str | None
    published: str | None


@dataclass
class GapGroup:
    """Questions that ask the same thing: the example is the one most like the others."""

    example: str
    questions: list[GapQuestion]
    closest: ClosestArticle | None = None

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def refused(self) -> int:
        return sum(q.refused for q in self.questions)

    @property
    def down_votes(self) -> int:
        return sum(q.down_votes for q in self.questions)

    @property
    def reasons(self) -> list[str]:
        """The 👎 comments, in the order of their questions (newest first)."""
        return [reason for q in self.questions for reason in q.reasons]

    def distinct_questions(self) -> list[str]:
        """Each wording once, newest first (the same question asked twice is one line)."""
        seen: dict[str, str] = {}
        for q in self.questions:
            seen.setdefault(_key(q.question), q.question)
        return list(seen.values())

    def to_json(self) -> dict[str, object]:
        return {
            "count": self.count,
            "refused": self.refused,
            "down_votes": self.down_votes,
            "example": self.example,
            "questions": self.distinct_questions(),
            "comments": self.reasons,
            "closest_article": None if self.closest is None else self.closest.__dict__,
            "last_asked": self.questions[0].asked_at.isoformat() if self.questions else None,
        }


@dataclass
class GapReport:
    """The period's gaps, largest first."""

    days: int
    since: dt.datetime
    groups: list[GapGroup] = field(default_factory=list)
    questions: int = 0  # grouped, in all groups (also those left out)
    more_groups: int = 0  # smaller groups left out (MAX_GROUPS)
    capped: bool = False  # more than MAX_QUESTIONS questions: only the newest were grouped

    @property
    def period(self) -> str:
        """'the last 30 days', 'the last day'."""
        return "the last day" if self.days == 1 else f"the last {self.days} days"

    def to_json(self) -> dict[str, object]:
        return {
            "days": self.days,
            "since": self.since.isoformat(),
            "questions": self.questions,
            "capped": self.capped,
            "more_groups": self.more_groups,
            "similarity_threshold": SIMILARITY,
            "groups": [g.to_json() for g in self.groups],
        }


def _key(question: str) -> str:
    return " ".join(question.lower().split())


def _no_place_in_common(places: Sequence[frozenset[str]]) -> np.ndarray:
    """[i, j]: questions i and j both name places, and none in common."""
    index = {place: k for k, place in enumerate(sorted(set().union(*places)))}
    named = np.zeros((len(places), len(index)), dtype=np.float32)
    for i, found in enumerate(places):
        named[i, [index[p] for p in found]] = 1.0
    some = np.asarray(named.sum(axis=1) > 0)
    return np.outer(some, some) & ((named @ named.T) == 0)


def group_by_similarity(
    vectors: Sequence[Sequence[float]],
    threshold: float = SIMILARITY,
    places: Sequence[frozenset[str]] | None = None,
) -> list[list[int]]:
    """Indices of normalised vectors grouped around centres, largest group first.

    Each group is a centre and the not yet grouped vectors at least `threshold` similar to it, so every
    member is close to the centre (no chains of near neighbours drifting off topic). With `places` (what
    each vector's question names), no two members of a group name places but none in common: the
    centre's nearest are taken first, and one that conflicts with a member already taken is left for
    another group. Centres are taken by how many vectors they are near, most first (ties: the earlier
    index); the centre is listed first, then the others in index order."""
    if not vectors:
        return []
    matrix = np.asarray(vectors, dtype=np.float32)
    similarity = matrix @ matrix.T
    near = similarity >= threshold
    conflict = _no_place_in_common(places) if places is not None else np.zeros_like(near)
    near &= ~conflict
    np.fill_diagonal(near, True)
    density = near.sum(axis=1)
    order = sorted(range(len(matrix)), key=lambda i: (-int(density[i]), i))
    taken = np.zeros(len(matrix), dtype=bool)
    groups: list[list[int]] = []
    for centre in order:
        if taken[centre]:
            continue
        taken[centre] = True
        candidates = np.flatnonzero(near[centre] & ~taken).tolist()
        members: list[int] = []
        for i in sorted(candidates, key=lambda i: (-float(similarity[centre, i]), i)):
            if not conflict[i, members].any():
                members.append(i)
        taken[members] = True
        groups.append([centre, *sorted(members)])
    groups.sort(key=lambda g: (-len(g), g[0]))
    return groups


def group_questions(
    questions: Sequence[GapQuestion],
    embedder: Embedder,
    threshold: float = SIMILARITY,
    places: PlaceReader | None = None,
) -> list[GapGroup]:
    """The questions grouped by meaning (one embedding batch of their distinct wordings) and, with
    `places`, by the places they name; largest group first, then the most recently asked."""
    texts: dict[str, str] = {}
    for q in questions:
        texts.setdefault(_key(q.question), q.question)
    keys = list(texts)
    vectors = embedder.embed_documents([texts[k] for k in keys]) if keys else []
    named = [places(texts[k]) for k in keys] if places is not None else None
    by_key: dict[str, list[GapQuestion]] = {}
    for q in questions:
        by_key.setdefault(_key(q.question), []).append(q)
    groups = []
    for indices in group_by_similarity(vectors, threshold, named):
        members = sorted(
            (q for i in indices for q in by_key[keys[i]]), key=lambda q: q.asked_at, reverse=True
        )
        groups.append(GapGroup(example=texts[keys[indices[0]]], questions=members))
    groups.sort(key=lambda g: (-g.count, -g.questions[0].asked_at.timestamp(), g.example))
    return groups


def places_named(services: Services) -> PlaceReader | None:
    """What a question names, read as the answerer reads it: registry members and other countries
    (registry names and ISO 3166 codes). None when the members registry cannot be read."""
    try:
        reader = services.offline_answerer.reading.reader(services.registry.get())
    except RegistryError:
        return None

    def read(question: str) -> frozenset[str]:
        query = reader.read(question)
        return frozenset([*query.members, *query.countries])

    return read


def closest_article(searcher: Searcher, question: str) -> ClosestArticle | None:
    """The article of the best passage for the question (hybrid search), or None when nothing is indexed."""
    try:
        passages = searcher.search(question, k=1).passages
    except (IndexEmpty, BadInput):
        return None
    if not passages:
        return None
    chunk = passages[0].chunk
    return ClosestArticle(chunk.doc_id, chunk.title, chunk.url or None, chunk.published or None)


def find_gaps(
    source: GapSource,
    embedder: Embedder,
    searcher: Searcher,
    days: int = DEFAULT_DAYS,
    *,
    now: dt.datetime | None = None,
    threshold: float = SIMILARITY,
    max_groups: int = MAX_GROUPS,
    places: PlaceReader | None = None,
) -> GapReport:
    """The refused and 👎 questions of the last `days` days, grouped (by the places they name too, with
    `places`), the largest `max_groups` groups each with its closest article."""
    check_days(days)
    since = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)
    questions = source.gap_questions(since, MAX_QUESTIONS + 1)
    capped = len(questions) > MAX_QUESTIONS
    questions = questions[:MAX_QUESTIONS]
    groups = group_questions(questions, embedder, threshold, places)
    shown = groups[:max_groups]
    for group in shown:
        group.closest = closest_article(searcher, group.example)
    log.info("Grouped %d gap questions since %s into %d groups", len(questions), since, len(groups))
    return GapReport(
        days=days,
        since=since,
        groups=shown,
        questions=len(questions),
        more_groups=len(groups) - len(shown),
        capped=capped,
    )
