"""Quality evaluation on the development set: retrieval, answers, refusals, citations and latency.

`python -m retrieval eval` runs every question through dense-only, keyword-only and hybrid retrieval
and writes a Markdown table and a PNG chart. The same functions run on a small slice in the tests.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.answer_types import Answer
from retrieval.offline_answerer import OfflineAnswerer
from retrieval.search import Searcher
from retrieval.sentences import split_sentences

MODES = ("dense", "keyword", "hybrid")


@dataclass(frozen=True)
class DevQuestion:
    """One line of the development set."""

    id: str
    question: str
    answerable: bool
    keywords: tuple[str, ...]
    doc_ids: tuple[str, ...]
    type: str = "other"


def load_dev_set(path: Path) -> list[DevQuestion]:
    """Parse the JSON-lines development set."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(DevQuestion(d["id"], d["question"], bool(d["answerable"]), tuple(d["keywords"]),
                                   tuple(d["doc_ids"]), d.get("type", "other")))
    return out


def contains(text: str, keyword: str) -> bool:
    return keyword.lower() in text.lower()


def citation_valid(answer: Answer, keywords: tuple[str, ...]) -> bool:
    """Every [n] points to a listed citation, and each expected keyword found in a sentence is found in a
    passage that sentence cites."""
    numbers = {c.n: c for c in answer.citations}
    marks = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    if any(n not in numbers for n in marks):
        return False
    for sentence in split_sentences(answer.text):
        cited = [numbers[int(n)] for n in re.findall(r"\[(\d+)\]", sentence) if int(n) in numbers]
        for keyword in keywords:
            if contains(sentence, keyword) and cited and not any(contains(c.passage, keyword) for c in cited):
                return False
    return True


@dataclass
class ModeResult:
    """Figures for one retrieval mode."""

    mode: str
    hit_at_5: float = 0.0
    mrr: float = 0.0
    accuracy: float = 0.0
    refusal_precision: float = 0.0
    refusal_recall: float = 0.0
    answerable_refused: int = 0
    citation_validity: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    failures: list[dict[str, object]] = field(default_factory=list)

    def row(self) -> list[str]:
        return [self.mode, f"{self.hit_at_5:.3f}", f"{self.mrr:.3f}", f"{self.accuracy:.3f}",
                f"{self.refusal_precision:.3f}", f"{self.refusal_recall:.3f}", str(self.answerable_refused),
                f"{self.citation_validity:.3f}", f"{self.median_ms:.1f}", f"{self.p95_ms:.1f}"]


def evaluate_mode(questions: list[DevQuestion], searcher: Searcher, answerer: OfflineAnswerer, mode: str) -> ModeResult:
    """Run every question once through one retrieval mode."""
    result = ModeResult(mode)
    hits, rr, correct, valid, latencies = [], [], [], [], []
    refused_true = refused_false = missed_refusals = 0
    answerer.clear_caches()  # every mode pays for its own sentence embeddings
    answerer.answer("warm up question about the Artemis Accords", mode=mode)
    for q in questions:
        if q.answerable:
            docs = [p.doc_id for p in searcher.search(q.question, k=5, mode=mode).passages]  # type: ignore[arg-type]
            rank = next((i for i, d in enumerate(docs, start=1) if d in q.doc_ids), None)
            hits.append(rank is not None)
            rr.append(1.0 / rank if rank else 0.0)
        started = time.perf_counter()
        answer = answerer.answer(q.question, mode=mode)
        latencies.append((time.perf_counter() - started) * 1000)
        if q.answerable:
            ok = not answer.refused and all(contains(answer.text, k) for k in q.keywords)
            correct.append(ok)
            if answer.refused:
                refused_false += 1
            if not ok:
                result.failures.append({"id": q.id, "question": q.question, "expected": list(q.keywords),
                                        "got": answer.text[:300], "refused": answer.refused,
                                        "confidence": round(answer.confidence, 3)})
        else:
            if answer.refused:
                refused_true += 1
            else:
                missed_refusals += 1
                result.failures.append({"id": q.id, "question": q.question, "expected": "refusal",
                                        "got": answer.text[:300], "refused": False,
                                        "confidence": round(answer.confidence, 3)})
        if not answer.refused:
            valid.append(citation_valid(answer, q.keywords))
    unanswerable = sum(1 for q in questions if not q.answerable)
    result.hit_at_5 = _mean(hits)
    result.mrr = _mean(rr)
    result.accuracy = _mean(correct)
    result.refusal_precision = refused_true / (refused_true + refused_false) if refused_true + refused_false else 1.0
    result.refusal_recall = refused_true / unanswerable if unanswerable else 1.0
    result.answerable_refused = refused_false
    result.citation_validity = _mean(valid)
    result.median_ms = statistics.median(latencies) if latencies else 0.0
    result.p95_ms = _percentile(latencies, 95)
    return result


def _mean(values: list) -> float:
    return sum(values) / len(values) if values else 0.0


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass(frozen=True)
class ThresholdRow:
    """What one refusal threshold would give on the development set."""

    threshold: float
    accuracy: float
    refusal_recall: float
    answerable_refused: int


def calibrate(questions: list[DevQuestion], answerer: OfflineAnswerer,
              thresholds: tuple[float, ...] = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)) -> list[ThresholdRow]:
    """Answer everything with refusals off, then score each threshold on the recorded confidences."""
    saved = answerer.refuse_below
    answerer.refuse_below = 0.0
    try:
        runs = []
        for q in questions:
            answer = answerer.answer(q.question)
            correct = all(contains(answer.text, k) for k in q.keywords) if q.answerable else False
            runs.append((q.answerable, answer.confidence, answer.refused, correct))
    finally:
        answerer.refuse_below = saved
    rows = []
    answerable = sum(1 for r in runs if r[0]) or 1
    unanswerable = sum(1 for r in runs if not r[0]) or 1
    for t in thresholds:
        refused = [(ok, conf < t or ref, corr) for ok, conf, ref, corr in runs]
        rows.append(ThresholdRow(
            t, sum(1 for ok, ref, corr in refused if ok and not ref and corr) / answerable,
            sum(1 for ok, ref, _ in refused if not ok and ref) / unanswerable,
            sum(1 for ok, ref, _ in refused if ok and ref)))
    return rows


def calibration_table(rows: list[ThresholdRow], chosen: float) -> str:
    lines = ["| refuse below | accuracy | refusal recall | answerable refused |", "|---|---|---|---|"]
    lines += [f"| {r.threshold:.2f}{' (default)' if abs(r.threshold - chosen) < 1e-9 else ''} | {r.accuracy:.3f} | "
              f"{r.refusal_recall:.3f} | {r.answerable_refused} |" for r in rows]
    return "\n".join(lines)


HEADER = ["mode", "hit@5", "MRR", "accuracy", "refusal precision", "refusal recall", "answerable refused",
          "citation validity", "median ms", "p95 ms"]


def markdown_table(results: list[ModeResult]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r.row()) + " |" for r in results]
    return "\n".join(lines)


def write_report(results: list[ModeResult], out_dir: Path, n_questions: int, n_unanswerable: int,
                 calibration: str = "") -> tuple[Path, Path]:
    """Write eval.md (table, calibration and failures) and eval.png (chart); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "eval.md"
    parts = [f"# Evaluation on the development set ({n_questions} questions, {n_unanswerable} unanswerable)\n",
             "Offline answerer; latency is per answer, warm model, sentence-vector cache emptied before each mode.\n",
             markdown_table(results), ""]
    if calibration:
        parts += ["\n## Refusal threshold (hybrid retrieval)\n",
                  "Every question answered once with refusals off; each row scores one threshold on the recorded "
                  "confidences. Registry answers have confidence 0.9.\n", calibration, ""]
    for r in results:
        if r.failures:
            parts.append(f"\n## Misses with {r.mode} retrieval ({len(r.failures)})\n")
            parts += [f"- `{f['id']}` {f['question']!r}: expected {f['expected']}, refused={f['refused']}, "
                      f"confidence={f['confidence']}: {str(f['got'])[:200]!r}" for f in r.failures]
    md.write_text("\n".join(parts) + "\n", encoding="utf-8")
    png = out_dir / "eval.png"
    _chart(results, png)
    return md, png


def _chart(results: list[ModeResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [("hit@5", "hit_at_5"), ("MRR", "mrr"), ("accuracy", "accuracy"), ("refusal recall", "refusal_recall"),
               ("citation validity", "citation_validity")]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [3, 1]})
    width = 0.8 / len(results)
    for i, r in enumerate(results):
        xs = [j + i * width for j in range(len(metrics))]
        ax.bar(xs, [getattr(r, attr) for _, attr in metrics], width, label=r.mode)
        ax2.bar([i], [r.median_ms], 0.6, label=r.mode)
    ax.set_xticks([j + width * (len(results) - 1) / 2 for j in range(len(metrics))], [m for m, _ in metrics])
    ax.set_ylim(0, 1.05)
    ax.set_title("Quality by retrieval mode")
    ax.legend(loc="lower right")
    ax2.set_xticks(range(len(results)), [r.mode for r in results])
    ax2.set_title("Median answer time (ms)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
