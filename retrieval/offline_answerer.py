"""The default answerer: offline, no API key, extractive.

Every question is read once into a `Query` (retrieval/reading). A question the members registry can
fill is answered from it (retrieval/registry_answers.py), citing the article each row cites. Any
other question is answered from the retrieved passages: the sentence that best fits what the
question asks for (a date for "when", a count for "how many", a person for "who") is chosen, checked
against the evidence, and written up by the composer (retrieval/composer.py). When no sentence
carries what was asked, or the question is about something the articles never mention, it refuses
and shows the closest sources instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import re
import time
from dataclasses import dataclass

import numpy as np

from retrieval import composer
from retrieval.answer_types import REFUSAL, Answer, AnswerBuilder, Evidence, join_answers
from retrieval.catalog import NORMALISE, Catalog
from retrieval.chunking import Chunk
from retrieval.members_registry import Registry, RegistryHolder, human_date
from retrieval.questions import validate_question
from retrieval.reading import Query, Reading
from retrieval.reading.followups import needs_context, read_message, two_questions
from retrieval.reading.lexicon import FUNCTION_WORDS, is_english
from retrieval.reading.places import places
from retrieval.reading.query import (
    ALONE,
    DESCRIBING_WORDS,
    EVENT_WORDS,
    NUMBER_WORDS,
    PERSON_WORDS,
    PLACE_WORDS,
    Token,
    described_coalition,
)
from retrieval.registry_answers import RegistryAnswers, mentions
from retrieval.search import Passage, Searcher
from retrieval.sentence_vectors import digest, unpack
from retrieval.sentences import DATE, MONTHS, counts_in, split_sentences, without_marks

log = logging.getLogger(__name__)

DEFAULT_REFUSE_BELOW = 0.5
UNKNOWN_WEIGHT = 5.0  # an unknown word weighs like a rare corpus word (IDF of a word in one chunk in ~150)
UNKNOWN_SHARE_PENALTY = 0.5  # confidence lost when every word of the question is unknown to the articles
TOP_OWN = 1  # the keyword list's own best passage is always read, even when fusion ranks it lower
PASSAGES = 5  # passages read for an answer: 8 found a little more but refused less well (tuning eval)
RERANK = 8  # candidate sentences compared with the question by their stored vectors: bounded work
_SUFFIXES = ("ies", "ied", "ing", "ed", "es", "s")


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A tiny suffix-stripper for matching question words to sentence words."""
    word = word.lower().strip("'’")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[\w'’]+", text.lower())}


def evidence_of(chunk: Chunk, passage: str | None = None) -> Evidence:
    """Evidence from a stored chunk (the whole chunk text unless a passage is given)."""
    return Evidence(
        chunk.doc_id, chunk.title, chunk.outlet, chunk.published, chunk.url, passage or chunk.text
    )


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

    def __init__(
        self,
        searcher: Searcher,
        catalog: Catalog,
        registry: RegistryHolder | None,
        refuse_below: float = DEFAULT_REFUSE_BELOW,
        reading: Reading | None = None,
    ) -> None:
        self.searcher = searcher
        self.catalog = catalog
        self.registry = registry
        self.refuse_below = refuse_below
        self.reading = reading or Reading(catalog)
        self._sentence_vectors: dict[str, np.ndarray] = {}  # embedded at question time (no stored vector)
        self._registry_problem = ""

    # -- entry point ------------------------------------------------------------------------
    def answer(self, question: str, *, context: str | None = None, mode: str | None = None) -> Answer:
        """Answer a question (optionally a follow-up to `context`, the previous question)."""
        started = time.perf_counter()
        question = validate_question(question)
        registry = self._registry()
        found = self._two_questions(question, context, registry, mode)
        if found is None:
            query = self.read(question, context, registry)
            found = query, self.answer_query(query, registry, mode=mode)
        query, answer = found
        answer.question = question
        answer.resolved = query.text
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def _two_questions(
        self, question: str, context: str | None, registry: Registry | None, mode: str | None
    ) -> tuple[Query, Answer] | None:
        """Two questions in one message: each answered, the second as a follow-up of the first; None (read the
        message whole) when it asks one question or the first cannot be answered."""
        pair = two_questions(self.reading.reader(registry), question)
        if pair is None:
            return None
        first_q = self.read(pair[0], context, registry)
        first = self.answer_query(first_q, registry, mode=mode)
        if first.refused:
            return None
        if re.fullmatch(
            r"\W*(?:and )?(?:when|on what date|what date)\W*(?:thx|thanks|pls|please)?\W*", pair[1], re.I
        ) and (DATE.search(first.text)):
            return first_q, first  # "which baltic country followed it, and when?": the answer gives its date
        if re.fullmatch(
            r"\W*(?:and )?(?:in )?(?:what|which) year\W*(?:thx|thanks|pls|please)?\W*", pair[1], re.I
        ) and re.search(r"\b(?:19|20)\d\d\b", first.text):
            return (
                first_q,
                first,
            )  # "who first took the initiative for the ilrs, and in what year?": it says the year
        # the second read after the first as it was understood ("isn't that country in the ilrs too? when did it
        # join": the country the thread named, not the words "that country")
        second = self.answer_query(self.read(pair[1], first_q.text, registry), registry, mode=mode)
        if second.refused:
            first.text += " The articles do not answer the second question."
            return first_q, first
        if any(
            composer.near_duplicate(a, b)
            for a in split_sentences(first.text)
            for b in split_sentences(second.text)
        ):
            # one answer says what the other does: keep the one that answers both ("Egypt joined the ILRS on
            # 6 December 2023, when CNSA and EgSA signed …" answers "… and who signed for it" too)
            asked = f"{context or ''} {question}"  # the thread's words are not facts either answer adds
            facts = _facts_of(first.text, asked)
            said = _facts_of(second.text, asked)
            if not facts <= said:
                # each says something the other does not ("Slovakia signed the same day as Peru" and "No. Slovenia
                # signed on 19 April 2024 … Peru signed on 30 May 2024"): both, without the repeat
                kept = [
                    b
                    for b in split_sentences(second.text)
                    if not any(composer.near_duplicate(a, b) for a in split_sentences(first.text))
                ]
                second.text = " ".join(kept)
                return first_q, join_answers(first, second) if kept and not said <= facts else first
            verdict = re.match(r"(?:Yes|No)\. ", first.text)
            if verdict and not re.match(r"(?:Yes|No)\b", second.text):
                # "has chile signed, and if so, on what date": the Yes, then the date
                second.text = verdict.group(0) + second.text
            return first_q, second
        return first_q, join_answers(first, second)

    def read(self, question: str, context: str | None, registry: Registry | None) -> Query:
        """The question as the person meant it; a follow-up is read with the question before it."""

        def recall(previous: Query) -> str:  # the answer the previous question got (the index is the same)
            return self.answer_query(previous, registry).text

        return read_message(self.reading.reader(registry), question, context, recall)

    def answer_query(self, query: Query, registry: Registry | None, *, mode: str | None = None) -> Answer:
        """Answer an already read question: the registry's answer if it has one, else the passages'."""
        answer = self.registry_answer(query, registry)
        return answer if answer is not None else self._from_passages(query, mode)

    def registry_answer(self, query: Query, registry: Registry | None) -> Answer | None:
        """The members registry's answer to a structured question, or None (any answerer uses this route)."""
        if registry is None or needs_context(query):
            return None
        return RegistryAnswers(registry, self.catalog, places()).answer(query)

    def cannot_answer(self, query: Query, passages: list[Passage]) -> Answer | None:
        """A refusal decided before any sentence is read: an unknown subject, or a pronoun with no one to refer to."""
        if _OPINION.search(query.raw.lower()):
            # "is the ilrs better than the artemis accords? whats ur take": a judgement, not a fact in the articles
            return self._refusal(
                passages,
                0.0,
                "That asks for an opinion; the articles report what happened, not which is better.",
            )
        unknown = self._unknown_subject(query, passages)
        if unknown:
            return self._refusal(passages, 0.0, f"The indexed articles do not mention {unknown}.")
        if needs_context(query) and not (query.coalitions and not query.membership and query.wh != "other"):
            # "where did they release the ilrs roadmap": with no thread, "they" are the coalition's own people;
            # "when did they join the ilrs" needs to know who
            return self._refusal(
                passages,
                0.0,
                "Who or what do you mean? Name it, or ask in the thread of the question it follows.",
            )
        newest = self.catalog.newest_published()
        start = query.time.start or query.time.as_of
        if (
            newest
            and start
            and start.isoformat() > newest
            and not query.time.now
            and _names_year(query)
            and not query.future
            and not query.has(*_PLANNED)
        ):
            # "the outcome of this year's IAC meeting" (2026) when the newest article is from December 2025
            return self._refusal(
                passages,
                0.0,
                f"The newest indexed articles are from {human_date(newest)}: they "
                f"cannot say what happened after that.",
            )
        return None

    def warm_up(self) -> None:
        """Build what the first question would otherwise wait for (the reader's tables, the date parser)."""
        registry = self._registry()
        self.reading.reader(registry).read(
            "how many countries had signed the artemis accords by 1 june 2022?"
        )

    def clear_caches(self) -> None:
        """Forget cached sentence vectors (after a reindex, or to measure cold)."""
        self._sentence_vectors.clear()

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

    # -- answering from retrieved passages --------------------------------------------------
    def _from_passages(self, q: Query, mode: str | None) -> Answer:
        text = q.search_text or q.text or q.raw
        k = max(self.searcher.k, PASSAGES)
        result = self.searcher.search(text, k=k + 5, mode=mode)  # type: ignore[arg-type]
        # the fused best, and each list's own top hits: a rare word only the keyword list matches ("Trump")
        # is not outvoted by passages that are merely close in meaning
        passages = result.passages[:k] + [p for p in result.passages[k:] if (p.keyword_rank or 99) <= TOP_OWN]
        if not passages:
            return self._refusal(passages, 0.0)
        early = self.cannot_answer(q, passages)
        if early is not None:
            return early
        terms = self._weighted_terms(q)
        candidates = self._candidates(q, passages, terms)
        if not candidates:
            return self._refusal(passages, 0.0)
        self._rerank_semantically(text, result.query_vector, candidates)
        if (
            q.wh in ("how_many", "how_much")
            and q.expects == "number"
            and q.time.empty
            and not q.content_terms_named()
        ):
            _prefer_newest_count(candidates)
        best = self._with_what_was_asked(q, candidates)
        if best is None and q.expects == "place" and len(result.passages) > len(passages):
            # no near-best sentence names a place ("in which city did china and russia open the ilrs": the
            # passages about the two founders come first): read the passages found next before saying the
            # articles do not give it
            wider = self._candidates(q, result.passages, terms)
            self._rerank_semantically(text, result.query_vector, wider)
            best = self._with_what_was_asked(q, wider)
            if best is not None:
                candidates = wider
        if best is None:
            return self._refusal(passages, 0.0, _missing(q))
        best = _fuller(best, candidates)
        confidence = self._confidence(best, terms, q)
        if confidence < self.refuse_below:
            return self._refusal(passages, confidence)
        if (
            q.wh == "yes_no"
            and not q.future
            and q.has("did", "has", "have", "was", "were", "had")
            and composer.future_dated(best.sentence, best.passage.chunk.published)
        ):
            # "did chang'e-7 launch ok?": the articles only have it as a plan
            return self._refusal(
                passages, confidence, "The articles describe it only as planned, not as done."
            )
        if q.wh == "yes_no" and len(q.unknown_terms) >= max(2, len(q.content_terms)):
            # "does the ilrs plan a nuclear power plant?": most of what is asked is words the articles never use,
            # so no sentence can give a yes or a no
            return self._refusal(passages, confidence)
        builder = AnswerBuilder()
        if not self._compose(q, best, candidates, builder, terms):
            return self._refusal(passages, confidence)
        return Answer(
            question=q.text,
            text=builder.text,
            citations=builder.citations,
            refused=False,
            confidence=confidence,
            answerer=self.name,
        )

    def _unknown_subject(self, q: Query, passages: list[Passage]) -> str:
        """A name the question is about that no article mentions ('Elon Musk', 'Iran'): the articles cannot answer."""
        for name in q.unknown_names:
            if self.catalog.document_frequency(name.lower()) == 0:
                return name
        world = places()
        for iso3 in q.countries:
            country = world.countries.get(iso3)
            if country and not any(self.catalog.document_frequency(w) for w in _name_words(country.name)):
                return country.name
        if q.focus and q.focus in q.unknown_terms and q.focus not in ANSWER_KIND_WORDS | _WHAT_WAS_DONE:
            return f"“{q.focus}”"  # "what is the population of …"; but "at which facility" asks for a place
        return ""

    def _weighted_terms(self, q: Query) -> dict[str, float]:
        """The question's signal words with IDF weights: corpus words and the names it mentions."""
        n_chunks = max(self.catalog.counts()[1], 1)
        weights: dict[str, float] = {}
        words = list(q.content_terms)
        if _asks_conflict(q):  # "why do some places say 27 may": where it was read, not what was asked
            words = [w for w in words if w not in _CONFLICT_FRAME]
        for t in q.tokens:
            if t.entity and t.entity[0] in ("member", "country", "coalition"):
                said = [w for w in re.findall(r"[a-z]+", t.text) if len(w) > 2]
                if described_coalition(q, t):
                    # "the chinese moon base": weighed as the name the articles write, not "base" or "chinese"
                    said = [w for w in said if w not in DESCRIBING_WORDS] + (
                        ["ilrs"] if t.entity[1] == "ilrs" else ["artemis", "accords"]
                    )
                if t.entity[0] == "member":
                    # "thai", "venezuelan": a form the articles write less than the member's name is weighed as
                    # the name ("a Thai research body" is not more about Thailand than "Thailand joined")
                    name = _name_written(t)
                    if name and self.catalog.document_frequency(t.text) < self.catalog.document_frequency(
                        name[0]
                    ):
                        said = name  # matched in a sentence by either form (see _name_forms)
                words += said
        for term in dict.fromkeys(words + q.numbers):
            df = self.catalog.document_frequency(term)
            alias = NORMALISE.get(term)
            alias_df = self.catalog.document_frequency(alias) if alias else 0
            if alias and alias_df >= 3 * df:
                term, df = alias, alias_df  # "wrote": the articles say "drafted" (as keyword search reads it)
            if df == 0:
                continue
            weights[term] = math.log(1 + (n_chunks - df + 0.5) / (df + 0.5))
            if term == q.focus and q.expects == "place" and term in ANSWER_KIND_WORDS:
                # "at what event did …": the kind of answer asked for, which the sentence names ("the U.S.-Africa
                # Leaders Summit"), seldom by that word; a rare word must not outweigh the rest of the question
                weights[term] = min(weights[term], 1.0)
        return weights

    def _candidates(self, q: Query, passages: list[Passage], terms: dict[str, float]) -> list[Candidate]:
        known = {stem(t): w for t, w in terms.items()}
        forms = _name_forms(q)
        total = sum(known.values()) or 1.0
        subjects = q.members + [places().countries[c].name for c in q.countries if c in places().countries]
        if not subjects:
            subjects = self._founders_meant(q)
        said_as = _surface_forms(q, subjects)
        asks = _Asks(
            conflict=_asks_conflict(q),
            manner=composer.asks_manner(q.text),
            year=bool(re.search(r"\b(?:what|which) year\b", q.text, re.I)),
            where_too=bool(re.search(r"\bwhen\b.*\bwhere\b|\bwhere\b.*\bwhen\b", q.text, re.I)),
        )
        newest = max((p.chunk.published for p in passages), default="")
        joined_on = self._joining_days(q)
        # a list answers "which countries …", not "which south african institution …"
        listing_wanted = q.expects == "members" or (q.wh in ("which", "what") and q.plural)
        out: list[Candidate] = []
        for rank, passage in enumerate(passages):
            title_stems = stems(passage.chunk.title)
            sentences = split_sentences(passage.text)
            split = digest(sentences)
            for i, sentence in enumerate(sentences):
                words = stems(sentence)
                words |= {name for name, said in forms.items() if said in words}  # "Canadian" is Canada's
                words |= {str(NUMBER_WORDS[w]) for w in words & _NUMBER_NAMES}  # "Ten institutions" has 10
                lexical = (
                    sum(w for t, w in known.items() if t in words or (t in title_stems and w < 2)) / total
                )
                entity = (
                    sum(1.0 for s in subjects if mentions(sentence, s) or _said_as(sentence, said_as.get(s)))
                    / len(subjects)
                    if subjects
                    else 0.0
                )
                fit = _type_fit(q, sentence, asks)
                c = Candidate(sentence, passage, i, lexical, entity, fit, split=split)
                recency = 0.15 if q.wh == "how_many" and passage.chunk.published == newest else 0.0
                header = 1.0 if sentence.endswith(":") else 0.0  # a list's lead-in, not an answer
                listing = 0.8 if listing_wanted and sentence.count(",") >= 4 else 0.0
                leaning = 0.3 if composer.refers_back(composer.free_of_connective(sentence)) else 0.0
                if len(sentence.split()) < 5 or composer.about_the_text(sentence):
                    leaning += 2.0  # "Orbital debris.", "This explainer sets out the basics.": not an answer
                years = _year_agreement(q, sentence, passage.chunk.title) + _time_agreement(q, sentence)
                if joined_on and any(day in sentence for day in joined_on):
                    years += 0.4  # "where did poland sign": the sentence on the day it signed, not an earlier event
                elif joined_on and composer.DATE.search(sentence):
                    years -= 0.3  # a sentence dated otherwise is about another event
                if q.ordinal and composer.has_ordinal(sentence, q.ordinal):
                    # "the ninth principle": the sentence about that one, not the fifth beside it
                    years += 1.0 if composer.same_ordinal(sentence, q.ordinal) else 0.0
                c.score = (
                    2.0 * lexical
                    + 1.2 * entity
                    + 0.8 * fit
                    + 0.6 / (rank + 1)
                    + 0.3 * (passage.dense or 0.0)
                    + recency
                    - 0.02 * i
                    - header
                    + listing
                    - leaning
                    + years
                )
                out.append(c)
        out.sort(key=lambda c: -c.score)
        return out

    def _founders_meant(self, q: Query) -> list[str]:
        """'the ilrs founding memo', 'what did the founders sign': the coalition's founders are who it is about."""
        registry = self._registry()
        if registry is None or not q.has("founding", "founders", "founder"):
            return []
        return [f for c in q.coalitions if c in registry.coalitions for f in registry.coalitions[c].founders]

    def _joining_days(self, q: Query) -> list[str]:
        """The registry's days the question's members joined, as the articles write them, when the question asks
        about their joining ('where did poland sign the accords', 'who signed for egypt')."""
        about_dates = q.wh in ("when", "why") or q.has(
            "date", "dates", "different", "differ", "other", "conflicting"
        )
        registry = (
            self._registry() if q.membership and q.members and q.time.empty and not about_dates else None
        )
        if registry is None:
            return []
        return [
            human_date(r.joined)
            for r in registry.rows
            if r.member in q.members
            and len(r.joined) == 10
            and (not q.coalitions or r.coalition in q.coalitions)
        ]

    def _rerank_semantically(
        self, query: str, query_vector: list[float] | None, candidates: list[Candidate]
    ) -> None:
        """Add the few best sentences' similarity to the question (bounded work). Their vectors were
        stored at index time; only a sentence without one (an index made by an embedder that cannot
        pool sentences) is embedded now."""
        top = candidates[:RERANK]
        vectors = self._stored_vectors(top)
        # this question's own view of the cache: another thread may clear the shared one meanwhile
        cached = {
            c.sentence: self._sentence_vectors.get(c.sentence)
            for c in top
            if (c.passage.chunk_id, c.index) not in vectors
        }
        missing = [sentence for sentence, vector in cached.items() if vector is None]
        if missing:
            if len(self._sentence_vectors) > 50_000:
                self._sentence_vectors.clear()
            for sentence, embedded in zip(
                missing, self.searcher.embedder.embed_documents(missing), strict=True
            ):
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
        stored = self.catalog.sentence_vectors(
            sorted({c.passage.chunk_id for c in candidates}), embedder.name
        )
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
    def _with_what_was_asked(q: Query, candidates: list[Candidate]) -> Candidate | None:
        """The best sentence that carries what the question asks for (a date, a count of the thing asked about,
        a person …, a plan for a question about the future); None when none of the near-best does: then the
        articles do not say."""
        best = candidates[0]
        if q.ordinal:
            # "the ninth principle": the near-best are measured against the best sentence about that one
            best = next((c for c in candidates[:RERANK] if _same_position(q, c)), best)
        if q.wants_exact:
            # a sentence saying the articles lack exactly this ("the exact day is not given in the sources")
            absent = next(
                (
                    c
                    for c in candidates[:RERANK]
                    if composer.ABSENCE.search(c.sentence)
                    and c.lexical >= best.lexical * 0.5
                    and c.score >= best.score - 1.5
                ),
                None,
            )
            if absent is not None:
                return absent
        needed = (
            q.expects
            if q.expects
            in ("date", "time", "number", "money", "person", "agent", "place", "statement", "age")
            else ""
        )
        asked = [
            t.raw
            for t in q.tokens
            if (t.entity or t.kind in ("content", "unknown")) and t.text not in q.offered
        ]
        company = needed == "agent" and _ASKS_COMPANY.search(q.text)
        # "which three signatories did not attend": an answer names countries the question did not
        own = {places().iso3(m) for m in q.members} | set(q.countries)
        countries_wanted = q.expects == "members" and q.wh == "which" and bool(_ASKS_MEMBERS.search(q.text))
        list_wanted = bool(_ASKS_LIST.search(q.raw))
        first_of = (
            next((w for w in q.words if w in _NUMBERED_EVENTS), None)
            if q.superlative == "first" and not q.ordinal
            else None
        )
        near = candidates[:RERANK]
        role = _role(q.text) if q.wh == "yes_no" else None
        if role is not None:
            # "the paris meetup was hosted by esa + nasa right": a sentence that says who hosted it can say yes or
            # no; one that only says when it took place cannot
            near = sorted(near, key=lambda c: not (role.search(c.sentence) and c.score >= best.score - 0.5))
        for c in near:
            if c.lexical < best.lexical * 0.5 or c.score < best.score - 1.5:
                continue
            if company and not _COMPANY.search(c.sentence):
                continue  # "which company is building …": an agency or a country does not answer it
            if first_of and not composer.same_ordinal(f"{c.passage.chunk.title}. {c.sentence}", 1, first_of):
                continue  # "the first artemis accords workshop": not the 2nd one
            if list_wanted and not _A_LIST.search(c.sentence):
                continue  # "the 17 countries and orgs, like the actual list": a count is not the list
            if (
                list_wanted
                and q.member_type == "organisation"
                and len(set(composer.AGENT.findall(c.sentence))) < 3
            ):
                continue  # "name all ten institutions": the countries they came from are not their names
            if countries_wanted and not _countries_in(c.sentence) - own:
                continue  # "42 of the 45 signatories attended" does not say which three did not
            if needed in ("person", "agent", "place"):
                if not composer.names_other(c.sentence, asked, needed):
                    continue  # the answer names someone (somewhere) the question did not already name
            elif needed and not composer.has_type(c.sentence, needed):
                continue
            counted = q.counted or q.focus
            if needed == "number" and counted and not composer.counts_thing(c.sentence, counted):
                continue  # "how many pages": a sentence counting principles does not answer it
            if q.future and not composer.future_dated(c.sentence, c.passage.chunk.published):
                continue  # a question about what will happen needs a plan with a date, not a past event
            if q.ordinal and not _same_position(q, c):
                continue  # "the 13th member", "the third workshop": the sentence must be about that one
            if (
                q.source
                and q.source not in c.sentence.lower()
                and q.source not in c.passage.chunk.title.lower()
            ):
                continue  # "according to CNSA": CNSA's statement, not another source's
            return c
        return None

    @staticmethod
    def _confidence(best: Candidate, terms: dict[str, float], q: Query) -> float:
        """0..1: how well the best sentence and its passage cover the question."""
        known = sum(terms.values())
        passage_words = stems(best.passage.text) | stems(best.passage.chunk.title)
        coverage = (sum(w for t, w in terms.items() if stem(t) in passage_words) / known) if known else 0.0
        confidence = 0.35 * best.lexical + 0.15 * coverage + 0.5 * best.semantic + 0.1 * best.type_fit
        # Words of the question the articles never use: the larger their share of what it asks, the less the
        # best sentence can be about it ("who won the world cup" shares only "world" with the corpus).
        # A sentence close in meaning to the whole question (it has the words for it) loses less.
        unknown = UNKNOWN_WEIGHT * len(q.unknown_terms)
        if unknown:
            confidence -= UNKNOWN_SHARE_PENALTY * unknown / (unknown + known) * max(0.0, 1.2 - best.semantic)
        if (q.members or q.countries) and best.entity == 0.0:
            subjects = q.members + q.countries
            if not any(mentions(best.passage.text, s) for s in subjects):
                confidence -= 0.25  # a sentence about someone else
        return max(0.0, min(1.0, confidence))

    def _compose(
        self,
        q: Query,
        best: Candidate,
        candidates: list[Candidate],
        builder: AnswerBuilder,
        terms: dict[str, float],
    ) -> bool:
        chunk = best.passage.chunk
        before = composer.previous_sentence(best.passage.text, best.sentence)
        lead = composer.standalone(best.sentence, before)
        if lead is None:
            replacement = next(
                (
                    c
                    for c in candidates[1:RERANK]
                    if c.score >= best.score - 0.8
                    and composer.standalone(
                        c.sentence, composer.previous_sentence(c.passage.text, c.sentence)
                    )
                    is not None
                    and composer.has_type(c.sentence, q.expects)
                ),
                None,
            )
            if replacement is None:
                lead = best.sentence  # the article's own words; the citation shows the context
            else:
                best, chunk = replacement, replacement.passage.chunk
                lead = composer.standalone(
                    best.sentence, composer.previous_sentence(best.passage.text, best.sentence)
                )
        assert lead is not None
        lead = composer.shorten(lead, [*q.members, *q.content_terms], q.expects)
        if (
            q.wh == "how_many"
            and counts_in(lead)
            and not re.search(r"\b(19|20)\d\d\b", lead)
            and chunk.published
        ):
            lead = f"As of {human_date(chunk.published)}: {lead[0].lower() + lead[1:] if lead[:2] != lead[:2].upper() else lead}"
        manner = composer.manner_verdict(q.text, best.sentence) if q.wh == "yes_no" else None
        if manner and best.lexical >= YES_NO_COVERAGE / 2 and not q.future:
            lead = f"{manner}. {lead}"  # "was it signed in person?" over "… by video link": No
        elif (
            q.wh == "yes_no"
            and (best.lexical >= YES_NO_COVERAGE or _not_among(q, best.sentence))
            and not q.future
        ):  # a claim that names the wrong body is answered "No" however few of its words the sentence has
            said = _clause_about(
                best.sentence, terms
            )  # "No formal ceremony was held; NASA planned an event to
            # mark it": "did nasa do something to mark it" is answered by the second clause, without a "no"
            no = composer.NEGATION.search(said) or _shared(q, said) or _not_among(q, said)
            if no or not _absent_bodies(q, said):
                # "was the ilrs roadmap drafted by nasa": a sentence that never names NASA says no "yes"
                lead = f"{'No' if no else 'Yes'}. {lead}"
        if q.expects == "outlet" and chunk.outlet:
            # "which news site reported czechia as the 24th": who published the sentence that says it
            builder.add(
                f"{chunk.outlet} reported it on {human_date(chunk.published)}: {lead}", evidence_of(chunk)
            )
            return True
        builder.add(lead, evidence_of(chunk))
        used = [best.sentence]
        following = next(
            (c for c in candidates if c.passage is best.passage and c.index == best.index + 1), None
        )
        if (
            q.expects in ("place", "reason")
            and following is not None
            and composer.has_type(following.sentence, q.expects)
            and (q.expects != "place" or composer.names_new_place(following.sentence, lead))
            and len(builder.text) + len(following.sentence) < 420
        ):
            builder.add(
                following.sentence, evidence_of(chunk)
            )  # "… at the CSA's headquarters. It is in Longueuil …"
            return True
        if q.expects == "description" and not q.content_terms:
            # "what is the ilrs": what it is, and the next sentence only when it goes on about the same thing
            subject = _subject_words(q)
            if (
                following is not None
                and len(lead) < 160
                and not composer.about_the_text(following.sentence)
                and (
                    subject & set(re.findall(r"[a-z]+", following.sentence.lower()))
                    or re.match(r"(?:It|Its|They|Their)\b", following.sentence)
                )
            ):
                builder.add(following.sentence, evidence_of(chunk))
            return True
        if q.expects in composer.ONE_FACT:
            other = self._other_source(q, best, candidates)
            if other is not None:
                builder.add(other.sentence, evidence_of(other.passage.chunk))
            return True
        # A description or a list: one more sentence when it adds something (the next one in the passage, or
        # another strong one), never a repeat, never one that leans on a sentence not shown.
        same = [c for c in candidates if c.passage is best.passage and c.index == best.index + 1]
        # the question's names the lead uses ("Sydney") and its rarest word: a second sentence without them is
        # about something else (another meeting, another country)
        lead_stems = stems(best.sentence)
        used_terms = [t for t in terms if stem(t) in lead_stems]
        keys = {
            t
            for t in used_terms
            if re.search(rf"(?<!^)(?<![.!?] )\b{re.escape(t[:1].upper() + t[1:])}", best.sentence)
        }
        keys |= {max(used_terms, key=lambda t: terms[t])} if used_terms else set()
        for c in same + candidates[1:RERANK]:
            if len(builder.text) > 420:
                break
            if (
                c.lexical < max(0.35, best.lexical * 0.6)
                or c.sentence.endswith(":")
                or composer.about_the_text(c.sentence)
            ):
                continue
            if any(composer.near_duplicate(u, c.sentence) for u in used):
                continue
            if q.ordinal and not _same_position(q, c):
                continue  # "the 7th principle": not the sixth one beside it
            follows = c.passage is best.passage and c.index == best.index + 1
            if not follows and any(stem(k) not in stems(c.sentence) for k in keys):
                continue
            text = composer.free_of_connective(c.sentence) if not follows else c.sentence
            if composer.refers_back(text) and not follows:
                continue
            builder.add(text, evidence_of(c.passage.chunk))
            used.append(c.sentence)
            break
        return True

    @staticmethod
    def _other_source(q: Query, best: Candidate, candidates: list[Candidate]) -> Candidate | None:
        """For a count or a date, another source's different figure for the same thing (shown as such)."""
        if q.expects not in ("number", "date"):
            return None
        for c in candidates[1:6]:
            if c.passage.doc_id == best.passage.doc_id or c.lexical < best.lexical * 0.9:
                continue
            if (
                q.expects == "number"
                and counts_in(c.sentence)
                and set(counts_in(c.sentence)) != set(counts_in(best.sentence))
                and c.passage.chunk.published[:7] == best.passage.chunk.published[:7]
                and not composer.near_duplicate(c.sentence, best.sentence)
                and not composer.refers_back(c.sentence)
            ):
                return c
        return None

    def _refusal(self, passages: list[Passage], confidence: float, reason: str = "") -> Answer:
        """An honest 'not found', with the closest sources so the user can look for themselves."""
        builder = AnswerBuilder()
        builder.add_plain(REFUSAL)
        if reason:
            builder.add_plain(reason)
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
        return Answer(
            question="",
            text=builder.text,
            citations=builder.citations,
            refused=True,
            confidence=confidence,
            answerer=self.name,
        )


ANSWER_KIND_WORDS = PLACE_WORDS | PERSON_WORDS | EVENT_WORDS  # "which facility": the kind of answer asked for


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", name.lower()) if len(w) > 2]


def _missing(q: Query) -> str:
    """What the articles lack, said plainly."""
    what = {
        "date": "a date",
        "time": "a time",
        "number": "a figure",
        "money": "an amount of money",
        "person": "a person's name",
        "place": "where",
        "age": "an age",
    }.get(q.expects, "")
    if q.future:
        return "The articles do not say what will happen."
    return f"None of the matching passages gives {what} for this." if what else ""


def _prefer_newest_count(candidates: list[Candidate], margin: float = 1.2) -> None:
    """Counts change over time: among near-best sentences that state a count, put the newest article's first."""
    best = candidates[0]
    close = [
        c
        for c in candidates[:RERANK]
        if counts_in(c.sentence) and c.score >= best.score - margin and c.lexical >= best.lexical * 0.6
    ]
    if close:
        newest = max(close, key=lambda c: (c.passage.chunk.published, c.score))
        candidates.remove(newest)
        candidates.insert(0, newest)


def _year_agreement(q: Query, sentence: str, title: str) -> float:
    """A year the question names ('the 2025 meeting') should be the sentence's: +0.5 when it is, -0.5 when the
    sentence is dated by other years only."""
    if not q.time.years or q.wh == "when":
        return 0.0
    years = set(re.findall(r"\b(?:19|20)\d\d\b", sentence))
    asked = {str(y) for y in q.time.years}
    if years & asked or (not years and asked & set(re.findall(r"\b(?:19|20)\d\d\b", title))):
        return 0.5
    return -0.5 if years else 0.0


def _time_agreement(q: Query, sentence: str) -> float:
    """A sentence dated only outside the question's time frame ('before its 2024 MoU') is about another time;
    one dated years back does not tell what is 'current'."""
    frame = q.time
    if frame.now and q.wh != "when":
        years = [int(y) for y in re.findall(r"\b(20\d\d)\b", sentence)]
        newest = (q.today or dt.date.today()).year
        return -0.8 if years and max(years) < newest - 2 else 0.0
    if frame.empty or q.wh == "when":
        return 0.0
    dates = [composer.iso_date(d) for d in composer.DATE.findall(sentence)]
    dates = [d for d in dates if d]
    if not dates:
        return 0.0
    low = (frame.start or dt.date.min).isoformat()
    high = (frame.as_of or frame.end or dt.date.max).isoformat()
    return 0.0 if any(low <= d <= high for d in dates) else -0.8


@dataclass(frozen=True)
class _Asks:
    """What a question asks that is read from its words once, not once per candidate sentence."""

    conflict: bool  # "why do some places give a different day"
    manner: bool  # "was that in person?"
    year: bool = False  # "what year was the ilrs first proposed": a year is the whole answer
    where_too: bool = False  # "when was that and where": the sentence that gives both


def _type_fit(q: Query, sentence: str, asks: _Asks) -> float:
    expects = q.expects
    if asks.conflict:  # "why do some places give a different day": the sentence that gives both days
        return 1.0 if _two_close_days(sentence) else 0.0
    if asks.manner:  # "was that in person?": the sentence that says in person or not
        return 1.0 if composer.asks_manner(sentence) else 0.0
    if expects == "agent":  # a named person answers "who" best; an organisation will do
        return 1.0 if composer.PERSON.search(sentence) else 0.6 if composer.AGENT.search(sentence) else 0.0
    if expects == "date" and asks.where_too and composer.DATE.search(sentence):
        return 1.0 if composer.PLACE.search(sentence) else 0.7
    if expects == "date":
        return (
            1.0
            if composer.DATE.search(sentence)
            else ((1.0 if asks.year else 0.4) if re.search(r"\b(19|20)\d\d\b", sentence) else 0.0)
        )
    if expects in ("number", "time", "money", "person", "place", "reason", "statement", "age"):
        return 1.0 if composer.has_type(sentence, expects) else 0.0
    if expects == "manner":  # preferred, not required: "by signing a memorandum" may be worded many ways
        # in person or by video says how best; the kind of document will do
        return 1.2 if composer.asks_manner(sentence) else 0.8 if composer.has_type(sentence, expects) else 0.2
    if expects in ("members", "description") and _ASKS_COUNTRIES.search(q.text):
        named = _countries_named(sentence)
        if named >= 2:  # "which countries", "what countries were they from": a sentence that names countries
            return 1.2 if named >= 3 else 0.8
    if expects == "members":
        return 0.6 if sum(1 for w in sentence.split()[1:] if w[:1].isupper()) >= 2 else 0.0
    if expects == "description" and (not q.content_terms or set(q.content_terms) <= _subject_words(q)):
        # "what is the ilrs", "what are the accords about": nothing asked but the thing itself, so the
        # sentence that says what it is ("The ILRS is a planned scientific base …") answers it
        return 1.5 if _defines(_subject_words(q), sentence) else 0.0
    return 0.3


_DEFINING = re.compile(
    r"^(?P<subject>(?:\S+ ){1,12}?)(?:is|are) (?!the same\b)(?:a|an|the|one|non-binding|principles|"
    r"legally|political|china's|nasa's|[a-z]+-led)\b"
)


def _subject_words(q: Query) -> set[str]:
    """The words that name what the question is about: its coalitions, members and countries."""
    words: set[str] = set()
    for t in q.tokens:
        if t.entity and t.entity[0] in ("member", "country", "coalition"):
            words |= {w for w in re.findall(r"[a-z]+", t.text.lower()) if len(w) > 2}
    for coalition in q.coalitions:
        words |= set(coalition.split("_"))
    if not words:  # "what is DSEL": the name asked about, whatever kind of thing it is
        words = {t.text for t in q.tokens if t.kind == "content" and t.raw.isupper() and len(t.raw) > 1}
    return words


def _defines(subject: set[str], sentence: str) -> bool:
    """The sentence says what the subject is: 'The Artemis Accords are a set of 10 principles …'."""
    m = _DEFINING.match(sentence)
    return bool(m and subject & set(re.findall(r"[a-z]+", m.group("subject").lower())))


YES_NO_COVERAGE = 0.5  # the share of a yes/no question's weighted words the best sentence must carry


def _fuller(best: Candidate, candidates: list[Candidate], margin: float = 0.5) -> Candidate:
    """The same statement in fuller words, when another article gives it ("… had not been released" and "… had not
    been released, although they were believed to be similar …"): same opening, every word of the best, and more."""
    opening = best.sentence.split()[:8]
    words = stems(best.sentence)
    for c in candidates[:RERANK]:
        if (
            c is not best
            and c.score >= best.score - margin
            and len(c.sentence) > len(best.sentence) + 20
            and c.sentence.split()[: len(opening)] == opening
            and words <= stems(c.sentence)
        ):
            return c
    return best


def _facts_of(text: str, question: str) -> set[str]:
    """The dates, figures and names an answer states beyond the names the question itself says (its citation
    marks aside)."""
    plain = without_marks(text)
    asked = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
    names = {
        w
        for w in re.findall(r"\b[A-Z][A-Za-z]+", plain)
        if w.lower() not in asked and w.lower() not in FUNCTION_WORDS and w not in ("Yes", "No")
    }
    return {m.group(0) for m in DATE.finditer(plain)} | set(counts_in(plain)) | names


# The roles a yes/no claim can give a body, each as the words that say it ("was it esa that wrote the accords":
# drafted; "did cnsa co-host the paris meetup": hosted)
_ROLES = tuple(
    re.compile(p, re.I)
    for p in (
        r"\b(?:co-?)?host(?:s|ed|ing)?\b",
        r"\b(?:co-?)?chair(?:s|ed|ing)?\b",
        r"\borgani[sz](?:e|ed|es|ing|ers?)\b",
        r"\b(?:wr(?:ote|ite|ites|itten|iting)|draft(?:s|ed|ing)?|author(?:s|ed)?)\b",
    )
)


def _role(text: str) -> re.Pattern[str] | None:
    return next((r for r in _ROLES if r.search(text)), None)


def _not_among(q: Query, said: str) -> bool:
    """The question says a body had a role ("did esa co-chair the sydney meeting", "was it esa that wrote the
    accords") and the sentence names the bodies that had it, without that one."""
    role = _role(q.text)
    if role is None or not role.search(said):
        return False
    listed = re.search(r"\b[A-Z][\w.]*,? (?:and|&) (?:the )?[A-Z]", said)
    return bool(listed) and bool(_absent_bodies(q, said))


def _absent_bodies(q: Query, said: str) -> list[str]:
    """The bodies the question names by a word no dictionary knows ("esa", "cnes") that the sentence does not name."""
    return [
        t.text
        for t in q.tokens
        if t.kind in ("content", "unknown", "name")
        and not t.entity
        and len(t.text) >= 3
        and not any(r.fullmatch(t.text) for r in _ROLES)
        and (t.raw.isupper() or not is_english(t.text))
        and not re.search(rf"\b{re.escape(t.text)}\b", said, re.I)
    ]


def _shared(q: Query, said: str) -> bool:
    """The question asks whether one body does something alone ("nasa runs the outreach on its own, right?") and
    the sentence names it with another ("NASA and the U.S. Department of State … lead U.S. outreach")."""
    if not ALONE.search(q.text):
        return False
    words = {
        t.text
        for t in q.tokens
        if t.kind in ("content", "name", "unknown") and len(t.text) > 2 and not t.entity
    }
    names = {n for n in re.findall(r"\b[A-Z][\w.]*", said) if n.lower().strip(".") in words}
    return any(
        re.search(
            rf"\b{re.escape(n)},? (?:and|together with|with|alongside|jointly with) (?:the )?[A-Z]|"
            rf"\b[A-Z][\w.]*,? (?:and|together with|with|alongside) (?:the )?{re.escape(n)}\b",
            said,
        )
        for n in names
    )


def _clause_about(sentence: str, terms: dict[str, float]) -> str:
    """The clause of a sentence that carries most of the question's words (clauses split at ';', ', but',
    ', while', ', although', ', though'); the whole sentence when it has one clause."""
    clauses = [
        c for c in re.split(r";\s+|,\s+(?:but|while|although|though|whereas)\s+", sentence) if c.strip()
    ]
    if len(clauses) < 2:
        return sentence
    known = {stem(t): w for t, w in terms.items()}
    return max(clauses, key=lambda c: sum(w for t, w in known.items() if t in stems(c)))


_CONFLICT = re.compile(
    r"\b(?:two|different|differing|conflicting|other|another|second|multiple|diff)\b(?: \w+)? (?:dates?|days?)\b|"
    r"\bdates? (?:differ|conflict|don'?t match|do not match|disagree)|"
    r"\bwhy (?:do|does|did|are|is) (?:some|other|a few|many|several) (?:places|sites|sources|reports|articles|"
    r"people|outlets|websites|pages)\b",
    re.IGNORECASE,
)
_DAY = re.compile(rf"\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b")


def _two_close_days(sentence: str) -> bool:
    """Two different days weeks apart at most: the same event dated two ways ("24 May 2021 is NASA's date, while 27
    May 2021 …"), not two events."""
    days = sorted({dt.date.fromisoformat(composer.iso_date(d)) for d in _DAY.findall(sentence)})
    return any(0 < (b - a).days <= 45 for a, b in zip(days, days[1:], strict=False))


# The words of such a question that say where the asker read it, not what is asked
_CONFLICT_FRAME = frozenset(
    "see saw seen places place say says said give gives sites site sources source".split()
)


_ASKS_COMPANY = re.compile(r"\b(?:which|what) (?:[\w-]+ )?(?:company|companies|firm|firms)\b", re.I)
_COMPANY = re.compile(r"\b(?:company|companies|firm|firms|AG|Ltd|Inc|GmbH|corporation|contractor)\b", re.I)


_ASKS_COUNTRIES = re.compile(r"\b(?:which|what) (?:\w+ )?(?:countries|nations|states)\b", re.I)


_LOCATED = re.compile(
    r"\b(?:in|at|near) [A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)?,\s+[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?"
)
# Events that come numbered ("the 2nd Artemis Accords Workshop")
_NUMBERED_EVENTS = frozenset({"workshop", "meeting", "seminar", "conference", "forum", "summit", "congress"})
# "like the actual list", "list them all", "name them": the names, not how many there were
_ASKS_LIST = re.compile(
    r"\b(?:the (?:actual|full|whole|complete|entire) list|list (?:them|all|of them|every)|name (?:them|all|every)|"
    r"all of their names|which ones exactly)\b",
    re.I,
)
# Three or more names in a row: "Belarus, Pakistan, Azerbaijan"
_A_LIST = re.compile(r"(?:[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|of|and|the))*, ){2,}(?:and )?(?:the )?[A-Z]")
_ASKS_MEMBERS = re.compile(
    r"\bwhich (?:\w+ ){0,2}(?:countries|nations|signatories|signers|members|states)\b", re.I
)


def _countries_named(sentence: str) -> int:
    """How many different countries a sentence names."""
    return len(_countries_in(sentence))


@functools.lru_cache(maxsize=4096)
def _countries_in(sentence: str) -> frozenset[str]:
    """The countries a sentence names (by runs of capitalised words, up to three long), agencies set aside."""
    world = places()
    found: set[str] = set()
    sentence = composer.AGENT.sub("", sentence)  # "the China National Space Administration" is an agency
    sentence = _LOCATED.sub("", sentence)  # "held in Milan, Italy": where it happened, not who took part
    for run in re.findall(r"[A-Z][\w'’-]*(?: (?:[A-Z][\w'’-]*|of|and))*", sentence):
        words = run.split()
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                iso3 = world.iso3(" ".join(words[i : i + size]))
                if iso3:
                    found.add(iso3)
    return frozenset(found)


_NUMBER_NAMES = frozenset(
    w for w, n in NUMBER_WORDS.items() if n >= 10
)  # "three dates" is how many, not which


def _name_forms(q: Query) -> dict[str, str]:
    """A member's name word -> the form the question wrote it in, where they differ ('thailand' -> 'thai')."""
    out: dict[str, str] = {}
    for t in q.tokens:
        if t.entity and t.entity[0] == "member" and " " not in t.text:
            for w in _name_written(t):
                if w != t.text:
                    out[stem(w)] = stem(t.text)
    return out


def _name_written(t: Token) -> list[str]:
    """The words of a member's name that the question's form of it begins like ('thai' -> 'thailand')."""
    assert t.entity is not None
    return [w for w in re.findall(r"[a-z]+", t.entity[1].lower()) if len(w) > 2 and t.text.startswith(w[:4])]


# Asking for a judgement: "whats ur take", "is the ilrs better than the accords"
_OPINION = re.compile(
    r"\b(?:your|ur|yr) (?:take|opinion|opinions|view|views|thoughts)\b|\bin your opinion\b|"
    r"\bwhat do (?:you|u) think (?:of|about)\b|\b(?:is|are) (?:the )?[\w' -]{1,40}\b(?:better|worse|superior|inferior) "
    r"(?:than|to)\b"
)

# "what action did the duma take": what was done, said by the question's verb, not a thing the articles lack
_WHAT_WAS_DONE = frozenset("action actions step steps move moves measure measures stance".split())


def _same_position(q: Query, c: Candidate) -> bool:
    """The sentence (or its article's title) is about the position asked for: "the 13th member", "the ninth
    principle"."""
    assert q.ordinal is not None
    return composer.has_ordinal(
        f"{c.passage.chunk.title}. {c.sentence}", q.ordinal
    ) and composer.same_ordinal(c.sentence, q.ordinal)


def _asks_conflict(q: Query) -> bool:
    """A question about dates that disagree ("why do i see two different dates for iceland", "why do some
    places say 27 may")."""
    return bool(_CONFLICT.search(q.text))


def _surface_forms(q: Query, subjects: list[str]) -> dict[str, str]:
    """How the question wrote each subject ("south african" for South Africa, "egyptian" for Egypt)."""
    world = places()
    out: dict[str, list[str]] = {}
    for t in q.tokens:
        if t.entity and t.entity[0] in ("member", "country"):
            name = t.entity[1]
            name = world.countries[name].name if name in world.countries else name
            if name in subjects:
                out.setdefault(name, []).append(t.text)
    return {name: " ".join(words) for name, words in out.items()}


def _said_as(sentence: str, form: str | None) -> bool:
    """Whether a sentence writes a subject as the question did ("the South African Radio Astronomy Observatory")."""
    if not form or len(form) <= 3:
        return False
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", sentence, re.I) is not None


# A year the question gives as a plan's date ("the plan for a basic ILRS by 2035", "will be done by 2028"), which
# the articles can state, not as the time of something that happened
_PLANNED = (
    "plan",
    "plans",
    "planned",
    "target",
    "targets",
    "goal",
    "due",
    "expected",
    "scheduled",
    "will",
    "by",
)


def _names_year(q: Query) -> bool:
    """The question sets its year ("in 2026", "this year's"), not only a day and month ("27 may")."""
    return bool(re.search(r"\b(?:19|20)\d\d\b|\b(?:this|next|last|coming) (?:year|month)\b", q.text.lower()))
