"""Quality evaluation: answers, refusals, citations and latency on a tuning split and a frozen test split,
clean and perturbed; retrieval hit@5 and MRR by mode.

`python -m retrieval eval` reads tests/data/questions.jsonl (every question carries its split), makes
perturbed copies of each split with its own phrase pool (retrieval/perturb.py: chatter, mentions,
emoji, lower case, a typo in a common word or a name; the test split's pool is held out), answers all
of them, and writes bench/results/eval.md and eval.png. Misses are listed for the tuning split only:
the test split is reported as figures, never question by question, so nobody tunes on it.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retrieval.answer_types import Answer
from retrieval.reading.markup import strip_markup
from retrieval.search import Searcher
from retrieval.sentences import split_sentences, without_marks

MODES = ("dense", "keyword", "hybrid")
SPLITS = ("tuning", "test")
PERTURB_SEED = 7
Keyword = str | tuple[str, ...]


@dataclass(frozen=True)
class EvalQuestion:
    """One evaluation question and what a right answer must contain."""

    id: str
    question: str
    answerable: bool
    keywords: tuple[Keyword, ...]
    doc_ids: tuple[str, ...]
    kind: str = "dev"
    split: str = "tuning"
    polarity: str | None = None
    context: str | None = None
    style: str = ""
    perturbation: str = ""

    @property
    def flat_keywords(self) -> tuple[str, ...]:
        return tuple(k for kw in self.keywords for k in ((kw,) if isinstance(kw, str) else kw))


def _question(d: dict[str, Any]) -> EvalQuestion:
    keywords = tuple(k if isinstance(k, str) else tuple(k) for k in d.get("keywords", []))
    return EvalQuestion(
        str(d["id"]),
        str(d["question"]),
        bool(d["answerable"]),
        keywords,
        tuple(d.get("doc_ids", [])),
        str(d.get("kind") or "dev"),
        str(d.get("split") or "tuning"),
        d.get("polarity"),
        d.get("context"),
        str(d.get("style") or ""),
        str(d.get("perturbation") or ""),
    )


def load_questions(path: Path, split: str | None = None) -> list[EvalQuestion]:
    """Parse the JSON-lines question file (optionally one split)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = _question(json.loads(line))
            if split is None or q.split == split:
                out.append(q)
    return out


def perturbed(
    questions: Sequence[EvalQuestion], names: Sequence[str], seed: int = PERTURB_SEED
) -> list[EvalQuestion]:
    """Perturbed copies of each question, with its split's own phrase pool."""
    from retrieval.perturb import perturbed_copies

    out: list[EvalQuestion] = []
    for split in SPLITS:
        items = [
            dict(q.__dict__, keywords=[list(k) if isinstance(k, tuple) else k for k in q.keywords])
            for q in questions
            if q.split == split
        ]
        out += [_question(d) for d in perturbed_copies(items, seed=seed, pool=split, names=names)]
    return out


def contains(text: str, keyword: str) -> bool:
    """A keyword as a whole word or phrase, ignoring case ('7' is not found in '2027')."""
    return re.search(rf"(?<![\w]){re.escape(keyword)}(?![\w])", text, re.IGNORECASE) is not None


def keyword_found(text: str, keyword: Keyword) -> bool:
    return any(contains(text, k) for k in ((keyword,) if isinstance(keyword, str) else keyword))


def is_right(q: EvalQuestion, answer: Answer) -> bool:
    """An answerable question: answered (not refused), every keyword there, and Yes/No first when asked."""
    if not q.answerable:
        return declines(answer)
    text = without_marks(answer.text)  # "[2]" is a citation, not the figure 2
    if answer.refused or not all(keyword_found(text, k) for k in q.keywords):
        return False
    if q.polarity:
        return answer.text.lower().startswith(q.polarity.lower())
    return True


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def citation_valid(answer: Answer, keywords: Sequence[Keyword]) -> bool:
    """Every [n] points to a listed citation, and each expected fact found in a sentence is found in a
    passage that sentence cites (a fact with several written forms, such as "9" or "ninth", in any of
    them). A count that is the length of the list the sentence itself gives ("7 countries signed in
    2025: Finland, …") is supported when every listed name is in a cited passage."""
    numbers = {c.n: c for c in answer.citations}
    marks = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    if any(n not in numbers for n in marks):
        return False
    for sentence in split_sentences(answer.text):
        cited = [numbers[int(n)] for n in re.findall(r"\[(\d+)\]", sentence) if int(n) in numbers]
        if not cited:
            continue
        plain = without_marks(sentence)
        for keyword in keywords:
            forms = (keyword,) if isinstance(keyword, str) else tuple(keyword)
            said = [k for k in forms if contains(plain, k)]
            if not said or any(contains(c.passage, k) for c in cited for k in forms):
                continue
            if not any(_counted_list(sentence, k, cited) for k in said):
                return False
    return True


def _counted_list(sentence: str, keyword: str, cited: Sequence[Any]) -> bool:
    """Whether `keyword` is the number of names the sentence lists after a colon, each stated by a cited passage."""
    value = int(keyword) if keyword.isdigit() else _NUMBER_WORDS.get(keyword.lower())
    if value is None or ":" not in sentence:
        return False
    listed = without_marks(sentence.split(":", 1)[1]).rstrip(". ")
    listed = re.sub(r"\s*\([^)]*\)", "", listed)
    names = [n.strip().removeprefix("the ").strip() for n in re.split(r",\s*|\s+and\s+", listed) if n.strip()]
    return len(names) == value and all(any(contains(c.passage, n) for c in cited) for n in names)


def style_problems(q: EvalQuestion, answer: Answer) -> list[str]:
    """What a careful editor would fix in an answer: a lead that leans on an unseen sentence, a repeat, a
    yes/no on a question that is not one, a one-fact answer that runs long, an 'earlier' with no later."""
    from retrieval import composer

    if answer.refused:
        return []
    problems = []
    sentences = [
        s
        for s in split_sentences(without_marks(answer.text))
        if s not in ("Yes.", "No.", "Not yet.", "Unconfirmed.")
    ]
    if (
        sentences
        and composer.refers_back(composer.free_of_connective(sentences[0]))
        and not re.match(r"(Yes|No|Not yet|Unconfirmed)\.", answer.text)
    ):
        problems.append("lead leans on a sentence not shown")
    if sentences and composer.free_of_connective(sentences[0]) != sentences[0]:
        problems.append("lead opens with a connective")
    if any(composer.near_duplicate(a, b) for i, a in enumerate(sentences) for b in sentences[i + 1 :]):
        problems.append("two sentences say the same")
    asked = strip_markup(q.question).lower().strip()
    asks_yes_no = q.polarity is not None or bool(
        re.search(
            r"(?:^|[.?!,:;-]\s*|\b(?:question|so|ok|hey|hi)\s+)(?:is|are|was|were|did|does|do|has|have|had|can|could|will|"
            r"would|should)\b|\b(?:right|or not|or what|correct|true)\s*\??\s*$|^if\b[^?]*?\b(?:does|do|is|are|can|"
            r"will|must|has|have)\s+(?:it|they|that|this|a|an|the)\b",
            asked,
        )
    )
    if re.match(r"(Yes|No)\.", answer.text) and not asks_yes_no:
        problems.append("yes/no on a question that is not one")
    if re.search(r"\b[Ee]arlier figure\b", answer.text) and len(sentences) < 2:
        problems.append("'earlier figure' with no later one")
    one_fact = q.kind in ("member_date", "ordinal") or (q.kind == "dev" and len(q.keywords) == 1)
    if one_fact and len(without_marks(answer.text)) > 300:
        problems.append("one-fact answer over 300 characters")
    return problems


@dataclass
class Run:
    """One question answered."""

    q: EvalQuestion
    answer: Answer
    right: bool
    valid: bool | None
    ms: float
    style: list[str] = field(default_factory=list)


@dataclass
class Figures:
    """The figures of one split and variant (clean or perturbed)."""

    name: str
    answerable: int = 0
    unanswerable: int = 0
    accuracy: float = 0.0
    refusal_recall: float = 0.0
    answerable_refused_rate: float = 0.0
    citation_validity: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    style_clean: float = 0.0  # answers with no style problem, of those given
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (right, total)

    def row(self) -> list[str]:
        return [
            self.name,
            str(self.answerable),
            str(self.unanswerable),
            f"{self.accuracy:.3f}",
            f"{self.refusal_recall:.3f}",
            f"{self.answerable_refused_rate:.3f}",
            f"{self.citation_validity:.3f}",
            f"{self.style_clean:.3f}",
            f"{self.p50_ms:.1f}",
            f"{self.p95_ms:.1f}",
        ]


HEADER = [
    "set",
    "answerable",
    "unanswerable",
    "accuracy",
    "refusal recall",
    "answerable refused",
    "citation validity",
    "well-formed",
    "p50 ms",
    "p95 ms",
]


def answer_all(questions: Sequence[EvalQuestion], ask: Callable[[str, str | None], Answer]) -> list[Run]:
    """Answer every question once (follow-ups with their previous question as context)."""
    runs = []
    for q in questions:
        started = time.perf_counter()
        answer = ask(q.question, q.context)
        ms = (time.perf_counter() - started) * 1000
        right = is_right(q, answer)
        valid = citation_valid(answer, q.keywords) if not answer.refused else None
        runs.append(Run(q, answer, right, valid, ms, style_problems(q, answer)))
    return runs


# A lead that says the articles do not give what was asked ("its exact date has not been found in the sources")
NOT_KNOWN = re.compile(
    r"\bnot (?:been )?(?:given|found|known|named|stated|reported|listed|identified|specified|"
    r"disclosed|published|made public)\b|\b(?:do|does|did) not (?:say|give|name|list|state|specify|"
    r"report)\b|\b(?:is|are|was|were|remains?) unknown\b|\bno (?:source|article|report)s? "
    r"(?:gives?|says?|names?|lists?)\b",
    re.IGNORECASE,
)


def declines(answer: Answer) -> bool:
    """Refused, or answered that the articles do not know: the lead (after any Yes/No) says so."""
    if answer.refused:
        return True
    lead = [s for s in split_sentences(without_marks(answer.text)) if s not in ("Yes.", "No.", "Not yet.")]
    return bool(lead) and NOT_KNOWN.search(lead[0]) is not None


def figures(name: str, runs: Sequence[Run]) -> Figures:
    """Accuracy on answerable questions, refusal recall on the others, citation validity and latency."""
    answerable = [r for r in runs if r.q.answerable]
    unanswerable = [r for r in runs if not r.q.answerable]
    f = Figures(name, len(answerable), len(unanswerable))
    f.accuracy = _mean([r.right for r in answerable])
    f.refusal_recall = _mean([declines(r.answer) for r in unanswerable]) if unanswerable else 1.0
    f.answerable_refused_rate = _mean([r.answer.refused for r in answerable])
    f.citation_validity = (
        _mean([r.valid for r in runs if r.valid is not None])
        if any(r.valid is not None for r in runs)
        else 1.0
    )
    given = [r for r in runs if not r.answer.refused]
    f.style_clean = _mean([not r.style for r in given]) if given else 1.0
    latencies = [r.ms for r in runs]
    f.p50_ms = statistics.median(latencies) if latencies else 0.0
    f.p95_ms = _percentile(latencies, 95)
    for r in runs:
        right, total = f.by_kind.get(r.q.kind, (0, 0))
        f.by_kind[r.q.kind] = (right + int(r.right), total + 1)
    return f


def retrieval_figures(
    questions: Sequence[EvalQuestion], searcher: Searcher, mode: str
) -> tuple[float, float]:
    """hit@5 and MRR of the answerable questions' supporting articles."""
    hits, rr = [], []
    for q in questions:
        if not q.answerable or not q.doc_ids:
            continue
        docs = [p.doc_id for p in searcher.search(q.question, k=5, mode=mode).passages]  # type: ignore[arg-type]
        rank = next((i for i, d in enumerate(docs, start=1) if d in q.doc_ids), None)
        hits.append(rank is not None)
        rr.append(1.0 / rank if rank else 0.0)
    return _mean(hits), _mean(rr)


def _mean(values: Sequence[Any]) -> float:
    return sum(values) / len(values) if values else 0.0


def _percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass(frozen=True)
class ThresholdRow:
    """What one refusal threshold would give on the tuning split."""

    threshold: float
    accuracy: float
    refusal_recall: float
    answerable_refused_rate: float


def calibrate(
    runs: Sequence[Run], thresholds: Sequence[float] = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
) -> list[ThresholdRow]:
    """Score each refusal threshold on answers recorded with refusals on confidence turned off."""
    answerable = [r for r in runs if r.q.answerable] or []
    unanswerable = [r for r in runs if not r.q.answerable] or []
    rows = []
    for t in thresholds:

        def refused(r: Run, t: float = t) -> bool:
            return r.answer.refused or r.answer.confidence < t

        rows.append(
            ThresholdRow(
                t,
                _mean([r.right and not refused(r) for r in answerable]),
                _mean([refused(r) or declines(r.answer) for r in unanswerable]) if unanswerable else 1.0,
                _mean([refused(r) for r in answerable]),
            )
        )
    return rows


def calibration_table(rows: Sequence[ThresholdRow], chosen: float) -> str:
    lines = ["| refuse below | accuracy | refusal recall | answerable refused |", "|---|---|---|---|"]
    lines += [
        f"| {r.threshold:.2f}{' (default)' if abs(r.threshold - chosen) < 1e-9 else ''} | {r.accuracy:.3f} | "
        f"{r.refusal_recall:.3f} | {r.answerable_refused_rate:.3f} |"
        for r in rows
    ]
    return "\n".join(lines)


def markdown_table(rows: Sequence[Figures]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(f.row()) + " |" for f in rows]
    return "\n".join(lines)


def kind_table(rows: Sequence[Figures]) -> str:
    kinds = sorted({k for f in rows for k in f.by_kind})
    lines = ["| kind | " + " | ".join(f.name for f in rows) + " |", "|---|" + "---|" * len(rows)]
    for kind in kinds:
        cells = []
        for f in rows:
            right, total = f.by_kind.get(kind, (0, 0))
            cells.append(f"{right}/{total} ({right / total:.2f})" if total else "–")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def retrieval_table(rows: Sequence[tuple[str, str, float, float]]) -> str:
    lines = ["| split | mode | hit@5 | MRR |", "|---|---|---|---|"]
    lines += [f"| {s} | {m} | {h:.3f} | {r:.3f} |" for s, m, h, r in rows]
    return "\n".join(lines)


def write_report(
    out_dir: Path,
    table: list[Figures],
    retrieval: list[tuple[str, str, float, float]],
    calibration: str,
    tuning_misses: Sequence[Run],
    header: str,
    membership: Sequence[DetectionFigures] = (),
) -> tuple[Path, Path]:
    """Write eval.md (figures, per kind, retrieval, calibration, membership news detection, tuning misses) and
    eval.png; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "eval.md"
    parts = [
        header,
        "",
        markdown_table(table),
        "",
        "## Accuracy by kind (answerable and unanswerable)",
        "",
        kind_table(table),
        "",
        "## Retrieval (clean questions, supporting article in the top 5)",
        "",
        retrieval_table(retrieval),
        "",
    ]
    if calibration:
        parts += [
            "## Refusal threshold (tuning split, clean)",
            "",
            "Every tuning question answered once with refusal on confidence turned off; each row scores one "
            "threshold on the recorded confidences (evidence checks, such as a missing date, still refuse).",
            "",
            calibration,
            "",
        ]
    if membership:
        tuning = [f for f in membership if f.name == "tuning"]
        parts += [
            "## Membership news detection",
            "",
            "Sentences that report a member joining, signing, being announced or withdrawing "
            "(tests/data/membership_sentences.jsonl: positives and tricky negatives, a third held out as test; "
            "'fresh' sentences were written after the detector and run once, never tuned on). "
            "An event is right when its member, coalition, action and date all match.",
            "",
            detection_table(membership),
            "",
        ]
        if tuning and tuning[0].misses:
            parts += ["Tuning sentences read wrongly:", "", *detection_misses(tuning[0]), ""]
    parts += [
        f"## Misses on the tuning split ({len(tuning_misses)})",
        "",
        "The test split's misses are not listed, so that nobody tunes on them.",
        "",
    ]
    for r in tuning_misses:
        expected = (
            "refusal" if not r.q.answerable else list(r.q.keywords) + ([r.q.polarity] if r.q.polarity else [])
        )
        style = f" (style: {', '.join(r.style)})" if r.style else ""
        parts.append(
            f"- `{r.q.id}` ({r.q.kind}{', ' + r.q.perturbation if r.q.perturbation else ''}) "
            f"{r.q.question!r}: expected {expected}; got {'REFUSED ' if r.answer.refused else ''}"
            f"{r.answer.text[:220]!r}{style}"
        )
    md.write_text("\n".join(parts) + "\n", encoding="utf-8")
    png = out_dir / "eval.png"
    _chart(table, png)
    return md, png


def _chart(table: Sequence[Figures], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [
        ("accuracy", "accuracy"),
        ("refusal recall", "refusal_recall"),
        ("answerable refused", "answerable_refused_rate"),
        ("citation validity", "citation_validity"),
    ]
    fig, ax = plt.subplots(figsize=(10, 4))
    width = 0.8 / max(1, len(table))
    for i, f in enumerate(table):
        xs = [j + i * width for j in range(len(metrics))]
        ax.bar(xs, [getattr(f, attr) for _, attr in metrics], width, label=f.name)
    ax.set_xticks([j + width * (len(table) - 1) / 2 for j in range(len(metrics))], [m for m, _ in metrics])
    ax.set_ylim(0, 1.05)
    ax.set_title("Offline answerer: tuning and frozen test split, clean and perturbed")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# -- membership news detection ------------------------------------------------------------------------------

EventKey = tuple[str, str, str, str, str]  # member, coalition, action, date, precision


@dataclass(frozen=True)
class MembershipItem:
    """One labelled sentence: the events it reports (none for a tricky negative), read as of its article's
    publication date."""

    id: str
    sentence: str
    published: str
    events: tuple[EventKey, ...]
    split: str = "tuning"
    kind: str = ""
    article_coalition: str | None = None  # the one coalition its article is about, when it names none itself


def load_membership_sentences(path: Path, split: str | None = None) -> list[MembershipItem]:
    """Parse tests/data/membership_sentences.jsonl (optionally one split)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        item = MembershipItem(
            str(d["id"]),
            str(d["sentence"]),
            str(d["published"]),
            tuple(
                (e["member"], e["coalition"], e["action"], e.get("date", ""), e.get("precision", ""))
                for e in d.get("events", [])
            ),
            str(d.get("split") or "tuning"),
            str(d.get("kind") or ""),
            d.get("article_coalition"),
        )
        if split is None or item.split == split:
            out.append(item)
    return out


@dataclass
class DetectionFigures:
    """Precision and recall of the membership-news detector on one split (an event is right when its member,
    coalition, action and date all match)."""

    name: str
    sentences: int = 0
    expected: int = 0
    detected: int = 0
    right: int = 0
    # per sentence that went wrong: (item, expected events missed, detected events not expected)
    misses: list[tuple[MembershipItem, list[EventKey], list[EventKey]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.detected if self.detected else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def detection_figures(
    name: str, items: Sequence[MembershipItem], detect: Callable[[MembershipItem], Sequence[EventKey]]
) -> DetectionFigures:
    """Run the detector on every sentence and count matching events (each expected event matched once)."""
    f = DetectionFigures(name, sentences=len(items))
    for item in items:
        found = list(detect(item))
        missing = list(item.events)
        extra = []
        for key in found:
            if key in missing:
                missing.remove(key)
                f.right += 1
            else:
                extra.append(key)
        f.expected += len(item.events)
        f.detected += len(found)
        if missing or extra:
            f.misses.append((item, missing, extra))
    return f


def detection_table(rows: Sequence[DetectionFigures]) -> str:
    lines = [
        "| split | precision | recall | n (sentences) | expected events | detected events |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {f.name} | {f.precision:.3f} | {f.recall:.3f} | {f.sentences} | {f.expected} | {f.detected} |"
        for f in rows
    ]
    return "\n".join(lines)


def detection_misses(figures: DetectionFigures) -> list[str]:
    """One line per sentence the detector got wrong (for the tuning split only)."""
    return [
        f"- `{item.id}` ({item.kind}) {item.sentence!r}: missed {missing or 'nothing'}; wrongly found {extra or 'nothing'}"
        for item, missing, extra in figures.misses
    ]
