"""The evaluation pipeline on a small slice of the development set, with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.answer_types import Answer, Citation
from retrieval.evaluation import citation_valid, evaluate_mode, load_dev_set, write_report
from retrieval.services import Services
from tests.conftest import REPO

pytestmark = pytest.mark.model


def test_evaluation_slice_computes_every_figure_and_writes_the_report(real_services: Services, tmp_path: Path) -> None:
    questions = load_dev_set(REPO / "tests" / "data" / "qa_dev.jsonl")
    answerable = [q for q in questions if q.answerable][:10]
    unanswerable = [q for q in questions if not q.answerable][:4]
    results = [evaluate_mode(answerable + unanswerable, real_services.searcher, real_services.offline_answerer, m)
               for m in ("keyword", "hybrid")]
    hybrid = results[1]
    assert hybrid.hit_at_5 >= 0.9 and hybrid.mrr > 0.7
    assert hybrid.accuracy >= 0.8 and hybrid.refusal_recall >= 0.75 and hybrid.answerable_refused <= 1
    assert hybrid.citation_validity == 1.0 and hybrid.median_ms > 0 and hybrid.p95_ms >= hybrid.median_ms
    md, png = write_report(results, tmp_path, 14, 4)
    assert "| hybrid |" in md.read_text() and png.read_bytes()[:4] == b"\x89PNG"


def test_citation_validity_catches_a_keyword_its_passage_does_not_state() -> None:
    cite = Citation(1, "d", "T", "O", "2024-01-01", "https://e.org", "Egypt joined on 6 December 2023.")
    good = Answer("q", "Egypt joined on 6 December 2023 [1].", [cite])
    assert citation_valid(good, ("6 December 2023",))
    assert not citation_valid(Answer("q", "Egypt joined on 7 May 2024 [1].", [cite]), ("7 May 2024",))
    assert not citation_valid(Answer("q", "Egypt joined [2].", [cite]), ())
