"""The answer contract shared by every answerer and every front end."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.quoting import neutralise

REFUSAL = "I couldn't find that in the indexed articles."


@dataclass(frozen=True)
class Evidence:
    """A passage that supports part of an answer."""

    doc_id: str
    title: str
    outlet: str
    published: str
    url: str
    passage: str


@dataclass(frozen=True)
class Citation:
    """A numbered source in an answer."""

    n: int
    doc_id: str
    title: str
    outlet: str
    published: str
    url: str
    passage: str

    def to_json(self) -> dict[str, object]:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "passage": self.passage,
        }


@dataclass
class Answer:
    """An answer with numbered citations, or a refusal with the closest sources."""

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    confidence: float = 0.0
    answerer: str = "offline"
    latency_ms: float = 0.0
    note: str = ""
    resolved: str = (
        ""  # the question as read: chatter removed, spelling corrected, a follow-up made standalone
    )

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "confidence": round(self.confidence, 3),
            "answerer": self.answerer,
            "citations": [c.to_json() for c in self.citations],
            "latency_ms": round(self.latency_ms, 1),
            "resolved": self.resolved,
        }


class AnswerBuilder:
    """Assembles sentences with [n] markers, numbering each distinct passage once."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str], int] = {}
        self.citations: list[Citation] = []
        self.sentences: list[str] = []

    def cite(self, evidence: Evidence) -> int:
        """The number of this article's citation; passages of one article share one number."""
        n = self._numbers.get((evidence.doc_id, ""))
        if n is None:
            n = len(self.citations) + 1
            self._numbers[(evidence.doc_id, "")] = n
            self.citations.append(
                Citation(
                    n,
                    evidence.doc_id,
                    evidence.title,
                    evidence.outlet,
                    evidence.published,
                    evidence.url,
                    evidence.passage,
                )
            )
        elif evidence.passage not in self.citations[n - 1].passage:
            old = self.citations[n - 1]
            self.citations[n - 1] = Citation(
                n,
                old.doc_id,
                old.title,
                old.outlet,
                old.published,
                old.url,
                f"{old.passage}\n\n{evidence.passage}",
            )
        return n

    def add(self, sentence: str, *evidence: Evidence) -> None:
        """Add a sentence citing its evidence: 'text [1][2].'

        The sentence is quoted article text, so its own markup is neutralised first: the only [n] in an
        answer are the ones added here, and links, mentions and formatting never reach the reader."""
        sentence = neutralise(sentence)
        if not sentence:  # nothing but markup: nothing to say or cite
            return
        marks = "".join(f"[{n}]" for n in dict.fromkeys(self.cite(e) for e in evidence))
        if marks:
            closed = re.search(
                r"([.!?])([\"”’)]+)$", sentence
            )  # 'is "The Artemis Accords: …."': the quote kept
            if closed:
                body, end = sentence[: closed.start()] + closed.group(2), closed.group(1)
            else:
                end = sentence[-1] if sentence[-1:] in ".!?" else "."
                body = sentence[:-1] if sentence[-1:] in ".!?" else sentence
            sentence = f"{body} {marks}{end}"
        self.sentences.append(sentence)

    def add_plain(self, sentence: str) -> None:
        """A sentence about the answer itself (not a claim about the world): no citation."""
        self.sentences.append(sentence.strip())

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    def __bool__(self) -> bool:
        return bool(self.sentences)


def join_answers(first: Answer, second: Answer) -> Answer:
    """Two answers to the two questions of one message, as one: the second's sources renumbered after the
    first's (an article both cite keeps one number)."""
    import re

    citations = list(first.citations)
    by_doc = {c.doc_id: c.n for c in citations}
    renumber: dict[int, int] = {}
    for c in second.citations:
        if c.doc_id in by_doc:
            renumber[c.n] = by_doc[c.doc_id]
            old = citations[by_doc[c.doc_id] - 1]
            if c.passage not in old.passage:
                citations[old.n - 1] = Citation(
                    old.n,
                    old.doc_id,
                    old.title,
                    old.outlet,
                    old.published,
                    old.url,
                    f"{old.passage}\n\n{c.passage}",
                )
        else:
            n = len(citations) + 1
            renumber[c.n] = by_doc[c.doc_id] = n
            citations.append(Citation(n, c.doc_id, c.title, c.outlet, c.published, c.url, c.passage))
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{renumber.get(int(m.group(1)), int(m.group(1)))}]", second.text)
    return Answer(
        question=first.question,
        text=f"{first.text} {text}",
        citations=citations,
        refused=False,
        confidence=min(first.confidence, second.confidence),
        answerer=first.answerer,
        note=" + ".join(n for n in (first.note, second.note) if n),
    )
