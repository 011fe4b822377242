"""The default answerer: offline, no API key, extractive.

It answers membership questions from the members registry (citing the articles that report each
row) and everything else by picking the sentences of the retrieved passages that answer the
question's type (a date for "when", a count for "how many", names for "who"), preferring the newest
article when counts or statuses disagree. When the evidence is weak it refuses and shows the
closest sources instead of guessing.
"""

from __future__ import annotations

import difflib
import functools
import logging
import math
import re
import time
from dataclasses import dataclass

import numpy as np

from retrieval.answer_types import REFUSAL, Answer, AnswerBuilder, Evidence
from retrieval.catalog import Catalog, keyword_terms
from retrieval.chunking import Chunk
from retrieval.members_registry import Registry, RegistryHolder, human_date
from retrieval.membership_answers import membership_answer
from retrieval.questions import QuestionInfo, analyse, validate_question
from retrieval.search import Passage, Searcher
from retrieval.sentence_vectors import digest, unpack
from retrieval.sentences import counts_in, has_full_date, has_names, split_sentences

log = logging.getLogger(__name__)

DEFAULT_REFUSE_BELOW = 0.5
UNKNOWN_WORD_PENALTY = 0.5
CLEAR_LEXICAL = 0.8  # a best sentence this complete ...
CLEAR_MARGIN = 0.8  # ... and this far ahead of the next is answered without embedding sentences
RERANK = 8  # sentences embedded per question: bounded query-time work
_SUFFIXES = ("ies", "ing", "ed", "es", "s")
_PRONOUN = re.compile(r"\b(they|them|their|he|she|his|her)\b", re.I)
_PRONOUN_START = re.compile(r"^(and |but |so |what about |how about )?(they|them|their|it|its|that|this|those|he|she)\b",
                            re.I)


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A tiny suffix-stripper for matching question words to sentence words."""
    word = word.lower().strip("'’")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[\w'’]+", text.lower())}


def evidence_of(chunk: Chunk, passage: str | None = None) -> Evidence:
    """Evidence from a stored chunk (the whole chunk text unless a passage is given)."""
    return Evidence(chunk.doc_id, chunk.title, chunk.outlet, chunk.published, chunk.url, passage or chunk.text)


@dataclass
class Candidate:
    """A sentence of a retrieved passage, with the features the answerer ranks it by."""

    sentence: str
    passage: Passage
    index: int
    lexical: float
    entity: float
    type_fit: float
    score: float = 0.0
    semantic: float = 0.0
    split: str = ""  # digest of the passage's sentence split (matches stored sentence vectors)


class OfflineAnswerer:
    """Answers from the index and the members registry without any language model."""

    name = "offline"

    def __init__(self, searcher: Searcher, catalog: Catalog, registry: RegistryHolder | None,
                 refuse_below: float = DEFAULT_REFUSE_BELOW) -> None:
        self.searcher = searcher
        self.catalog = catalog
        self.registry = registry
        self.refuse_below = refuse_below
        self._sentence_vectors: dict[str, np.ndarray] = {}  # embedded at question time (no stored vector)
        self._registry_problem = ""

    # -- entry point ------------------------------------------------------------------------
    def answer(self, question: str, *, context: str | None = None, mode: str | None = None) -> Answer:
        """Answer a question (optionally a follow-up to `context`, the previous question)."""
        started = time.perf_counter()
        question = validate_question(question)
        registry = self._registry()
        info = analyse(question, registry)
        query = info.text or question
        if context:
            info, query = self._with_context(info, query, context, registry)
        dangling = _dangling_pronoun(info.text) and not info.members
        answer = None
        if registry is not None:
            answer = membership_answer(info, registry, self.catalog, self.searcher)
        if answer is None:
            answer = self._from_passages(info, query, mode, dangling=dangling)
        answer.question = question
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def clear_caches(self) -> None:
        """Forget cached sentence vectors and word statistics (after a reindex, or to measure cold)."""
        self._sentence_vectors.clear()
        self._near_known_word.cache_clear()
        self._vocabulary.cache_clear()

    def _registry(self) -> Registry | None:
        if self.registry is None:
            return None
        try:
            return self.registry.get()
        except Exception as exc:  # a missing or invalid registry must not stop free-text answers
            if str(exc) != self._registry_problem:
                self._registry_problem = str(exc)
                log.warning("Members registry unavailable, answering from articles only: %s", exc)
            return None

    @staticmethod
    def _with_context(info: QuestionInfo, query: str, context: str, registry: Registry | None
                      ) -> tuple[QuestionInfo, str]:
        """A follow-up ("and when did they sign?") borrows the members and coalitions it leaves out."""
        previous = analyse(context, registry)
        borrowed = False
        elliptical = bool(_PRONOUN.search(info.text) or _PRONOUN_START.search(info.text)
                          or re.match(r"(and|what about|how about)\b", info.text.lower()))
        if not info.members and previous.members and elliptical:
            info.members = previous.members
            borrowed = True
        if not info.coalitions and previous.coalitions and (borrowed or elliptical or info.members):
            info.coalitions = previous.coalitions
            borrowed = True
        if borrowed:
            extra = " ".join(info.members + [c.replace("_", " ") for c in info.coalitions])
            query = f"{query} {extra}"
        return info, query

    # -- answering from retrieved passages --------------------------------------------------
    def _from_passages(self, info: QuestionInfo, query: str, mode: str | None, *, dangling: bool) -> Answer:
        result = self.searcher.search(query, k=max(self.searcher.k, 5), mode=mode)  # type: ignore[arg-type]
        passages = result.passages
        if not passages:
            return self._refusal(passages, 0.0)
        terms = self._weighted_terms(query)
        candidates = self._candidates(info, passages, terms)
        if not candidates:
            return self._refusal(passages, 0.0)
        if self._clear_winner(candidates, terms):
            for c in candidates[:RERANK]:  # skip the sentence embeddings: the passage's similarity stands in
                c.semantic = c.passage.dense or 0.0
        else:
            self._rerank_semantically(query, result.query_vector, candidates)
        if info.qtype == "how_many":
            _prefer_newest_count(candidates)
        best = candidates[0]
        confidence = self._confidence(best, terms, info.qtype, dangling=dangling)
        if confidence < self.refuse_below:
            return self._refusal(passages, confidence)
        builder = AnswerBuilder()
        self._compose(info, best, candidates, builder)
        return Answer(question=info.text, text=builder.text, citations=builder.citations, refused=False,
                      confidence=confidence, answerer=self.name)

    def _weighted_terms(self, query: str) -> dict[str, float]:
        """Content words of the question with IDF weights; words unknown to the corpus weigh -1."""
        n_chunks = max(self.catalog.counts()[1], 1)
        weights: dict[str, float] = {}
        for term in keyword_terms(query):
            df = self.catalog.document_frequency(term)
            if df == 0 and not term.isdigit():
                weights[term] = -1.0 if not self._near_known_word(term, n_chunks) else 1.0
            else:
                weights[term] = math.log(1 + (n_chunks - df + 0.5) / (df + 0.5))
        return weights

    @functools.lru_cache(maxsize=1024)  # noqa: B019
    def _near_known_word(self, term: str, n_chunks: int) -> bool:
        """A misspelling of a word the corpus has ('phillipines', 'artimis')."""
        if len(term) < 5:
            return False
        return bool(difflib.get_close_matches(stem(term), self._vocabulary(n_chunks), n=1, cutoff=0.88))

    @functools.lru_cache(maxsize=4)  # noqa: B019
    def _vocabulary(self, n_chunks: int) -> list[str]:
        return self.catalog.vocabulary()

    def _candidates(self, info: QuestionInfo, passages: list[Passage], terms: dict[str, float]) -> list[Candidate]:
        known = {stem(t): w for t, w in terms.items() if w > 0}
        total = sum(known.values()) or 1.0
        member_variants = [_variants(m) for m in info.members]
        newest = max((p.chunk.published for p in passages), default="")
        wants_list = bool(re.match(r"(what|which) (are|were)\b|list\b|name\b", info.text.lower()))
        out: list[Candidate] = []
        for rank, passage in enumerate(passages):
            title_stems = stems(passage.chunk.title)
            sentences = split_sentences(passage.text)
            split = digest(sentences)
            for i, sentence in enumerate(sentences):
                words = stems(sentence)
                lexical = sum(w for t, w in known.items() if t in words or (t in title_stems and w < 2)) / total
                entity = 0.0
                if member_variants:
                    entity = sum(1.0 for vs in member_variants if any(v in sentence for v in vs)) / len(member_variants)
                fit = _type_fit(info, sentence)
                c = Candidate(sentence, passage, i, lexical, entity, fit, split=split)
                recency = 0.15 if info.qtype == "how_many" and passage.chunk.published == newest else 0.0
                header = 1.0 if sentence.endswith(":") else 0.0  # a list's lead-in, not an answer
                listing = 0.8 if wants_list and sentence.count(",") >= 4 else 0.0
                c.score = (2.0 * lexical + 1.2 * entity + 0.8 * fit + 0.6 / (rank + 1)
                           + 0.3 * (passage.dense or 0.0) + recency - 0.02 * i - header + listing)
                out.append(c)
        out.sort(key=lambda c: -c.score)
        return out

    @staticmethod
    def _clear_winner(candidates: list[Candidate], terms: dict[str, float]) -> bool:
        """The best sentence already covers the question and stands well ahead: no need to embed sentences."""
        if len(candidates) < 2 or any(w < 0 for w in terms.values()):
            return False
        best, second = candidates[0], candidates[1]
        return best.lexical >= CLEAR_LEXICAL and best.passage.dense is not None and best.score - second.score >= CLEAR_MARGIN

    def _rerank_semantically(self, query: str, query_vector: list[float] | None, candidates: list[Candidate]) -> None:
        """Add the few best sentences' similarity to the question (bounded work). Their vectors were
        stored at index time; only a sentence without one (an index made by an embedder that cannot
        pool sentences) is embedded now."""
        top = candidates[:RERANK]
        vectors = self._stored_vectors(top)
        # this question's own view of the cache: another thread may clear the shared one meanwhile
        cached = {c.sentence: self._sentence_vectors.get(c.sentence) for c in top
                  if (c.passage.chunk_id, c.index) not in vectors}
        missing = [sentence for sentence, vector in cached.items() if vector is None]
        if missing:
            if len(self._sentence_vectors) > 50_000:
                self._sentence_vectors.clear()
            for sentence, embedded in zip(missing, self.searcher.embedder.embed_documents(missing), strict=True):
                cached[sentence] = self._sentence_vectors[sentence] = np.asarray(embedded, dtype=np.float32)
        qv = np.asarray(query_vector or self.searcher.embedder.embed_query(query), dtype=np.float32)
        for c in top:
            vector = vectors.get((c.passage.chunk_id, c.index))
            if vector is None:
                vector = cached[c.sentence]
            assert vector is not None  # stored, cached or embedded just now
            c.semantic = float(qv @ vector)
            c.score += 2.0 * c.semantic
        candidates[:RERANK] = sorted(top, key=lambda c: -c.score)

    def _stored_vectors(self, candidates: list[Candidate]) -> dict[tuple[str, int], np.ndarray]:
        """Index-time sentence vectors of these candidates, where the stored split matches today's."""
        embedder = self.searcher.embedder
        stored = self.catalog.sentence_vectors(sorted({c.passage.chunk_id for c in candidates}), embedder.name)
        out: dict[tuple[str, int], np.ndarray] = {}
        unpacked: dict[str, list[np.ndarray | None]] = {}
        for c in candidates:
            row = stored.get(c.passage.chunk_id)
            if row is None or row.digest != c.split:
                continue
            if c.passage.chunk_id not in unpacked:
                unpacked[c.passage.chunk_id] = unpack(row, embedder.dimension)
            vector = unpacked[c.passage.chunk_id][c.index]
            if vector is not None:
                out[(c.passage.chunk_id, c.index)] = vector
        return out

    @staticmethod
    def _confidence(best: Candidate, terms: dict[str, float], qtype: str, *, dangling: bool) -> float:
        """0..1: how well the best sentence and its passage cover the question."""
        known = sum(w for w in terms.values() if w > 0)
        unknown = sum(1 for w in terms.values() if w < 0)
        passage_words = stems(best.passage.text) | stems(best.passage.chunk.title)
        coverage = (sum(w for t, w in terms.items() if w > 0 and stem(t) in passage_words) / known) if known else 0.0
        confidence = 0.35 * best.lexical + 0.15 * coverage + 0.5 * best.semantic + 0.1 * best.type_fit
        # A content word the articles never use ("budget", "Iran", "population") means they do not cover it.
        confidence -= UNKNOWN_WORD_PENALTY * unknown
        # A "when" answered without a date, or a "how many" without a number, is not an answer.
        if best.type_fit == 0.0 and qtype in ("when", "how_many"):
            confidence -= 0.25
        # "when did they sign?" with nobody to refer to: do not guess who "they" are.
        if dangling:
            confidence = 0.0
        return max(0.0, min(1.0, confidence))

    def _compose(self, info: QuestionInfo, best: Candidate, candidates: list[Candidate], builder: AnswerBuilder) -> None:
        chunk = best.passage.chunk
        sentence = best.sentence
        if info.qtype == "how_many" and counts_in(sentence) and not has_full_date(sentence) and chunk.published:
            sentence = f"{sentence.rstrip('.')} (as of {human_date(chunk.published)})."
        builder.add(sentence, evidence_of(chunk))
        used = {best.sentence}
        if info.qtype == "how_many":
            older = next((c for c in candidates[1:6] if c.passage.chunk.published < chunk.published
                          and counts_in(c.sentence) and c.lexical >= best.lexical * 0.8
                          and set(counts_in(c.sentence)) != set(counts_in(best.sentence))), None)
            if older is not None:
                when = human_date(older.passage.chunk.published)
                builder.add(f"Earlier figure, from {when}: {older.sentence}", evidence_of(older.passage.chunk))
            return
        # One or two more sentences that add to the answer: the next one in the same passage, or another
        # strong sentence from a different article.
        budget = 2 if info.qtype in ("what", "other", "which", "who") else 1
        same = [c for c in candidates if c.passage is best.passage and c.index == best.index + 1]
        for c in same + candidates[1:RERANK]:
            if budget == 0 or len(builder.text) > 420:
                break
            if c.lexical < max(0.35, best.lexical * 0.6) or c.sentence.endswith(":"):
                continue
            if any(_similar(c.sentence, u) for u in used):
                continue
            builder.add(c.sentence, evidence_of(c.passage.chunk))
            used.add(c.sentence)
            budget -= 1

    def _refusal(self, passages: list[Passage], confidence: float) -> Answer:
        """An honest 'not found', with the closest sources so the user can look for themselves."""
        builder = AnswerBuilder()
        builder.add_plain(REFUSAL)
        seen: set[str] = set()
        for p in passages:
            if p.doc_id in seen:
                continue
            seen.add(p.doc_id)
            builder.cite(evidence_of(p.chunk))
            if len(seen) == 3:
                break
        if builder.citations:
            builder.add_plain("The closest articles are listed below.")
        return Answer(question="", text=builder.text, citations=builder.citations, refused=True,
                      confidence=confidence, answerer=self.name)


def _dangling_pronoun(text: str) -> bool:
    """'and when did they sign?': a pronoun before anything it could refer to."""
    match = _PRONOUN.search(text)
    return match is not None and not keyword_terms(text[: match.start()])


def _prefer_newest_count(candidates: list[Candidate], margin: float = 1.2) -> None:
    """Counts change over time: among near-best sentences that state a count, put the newest article's first."""
    best = candidates[0]
    close = [c for c in candidates[:RERANK] if counts_in(c.sentence) and c.score >= best.score - margin
             and c.lexical >= best.lexical * 0.6]
    if close:
        newest = max(close, key=lambda c: (c.passage.chunk.published, c.score))
        candidates.remove(newest)
        candidates.insert(0, newest)


def _similar(a: str, b: str) -> bool:
    """Two sentences that say nearly the same thing (word overlap)."""
    wa, wb = stems(a), stems(b)
    return len(wa & wb) / max(1, min(len(wa), len(wb))) > 0.6


def _variants(member: str) -> list[str]:
    """Ways a member's name appears in text: 'South African Radio Astronomy Observatory (SARAO)' -> itself,
    its name without the bracket, and its acronym."""
    base = re.sub(r"\s*\(.*?\)", "", member).split(",")[0].strip()
    acronyms = [a for a in re.findall(r"\(([^)]+)\)", member) if a.isupper()]
    extra = {"United States": ["U.S.", "US "], "United Kingdom": ["UK"], "United Arab Emirates": ["UAE"],
             "South Korea": ["Republic of Korea", "Korea"], "Czech Republic": ["Czechia"]}.get(member, [])
    return [v for v in dict.fromkeys([member, base, *acronyms, *extra]) if v]


def _type_fit(info: QuestionInfo, sentence: str) -> float:
    if info.qtype == "when":
        return 1.0 if has_full_date(sentence) else (0.4 if re.search(r"\b(19|20)\d\d\b", sentence) else 0.0)
    if info.qtype == "how_many":
        return 1.0 if counts_in(sentence) else 0.0
    if info.qtype in ("who", "which"):
        return 0.6 if has_names(sentence) else 0.0
    return 0.3
