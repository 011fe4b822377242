"""The evaluation pipeline on a slice of the tuning split, with the real model; citation validity rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.answer_types import Answer, Citation
from retrieval.evaluation import (
    EvalQuestion,
    answer_all,
    citation_valid,
    figures,
    is_right,
    load_questions,
    perturbed,
    write_report,
)
from retrieval.services import Services
from tests.conftest import REPO

QUESTIONS = REPO / "tests" / "data" / "questions.jsonl"


@pytest.mark.model
def test_a_tuning_slice_computes_every_figure_and_the_report_lists_only_tuning_misses(
    real_services: Services, tmp_path: Path
) -> None:
    tuning = load_questions(QUESTIONS, split="tuning")
    chosen = [q for q in tuning if q.answerable][:12] + [q for q in tuning if not q.answerable][:4]
    runs = answer_all(chosen, lambda q, c: real_services.offline_answerer.answer(q, context=c))
    f = figures("tuning", runs)
    assert f.answerable == 12 and f.unanswerable == 4
    assert f.accuracy >= 0.75 and f.refusal_recall >= 0.75 and f.citation_validity == 1.0
    assert f.p50_ms > 0 and f.p95_ms >= f.p50_ms and sum(t for _, t in f.by_kind.values()) == 16
    test_q = EvalQuestion("t-secret", "what is the secret test question", False, (), (), split="test")
    test_runs = answer_all([test_q], lambda q, c: Answer(q, "made up [1].", [], refused=False))
    md, png = write_report(
        tmp_path,
        [f, figures("test", test_runs)],
        [("tuning", "hybrid", 1.0, 1.0)],
        "",
        [r for r in runs + test_runs if not r.right and r.q.split == "tuning"],
        "# Evaluation",
    )
    text = md.read_text()
    assert "| tuning |" in text and "| test |" in text and png.read_bytes()[:4] == b"\x89PNG"
    assert "secret test question" not in text


def test_perturbed_copies_use_each_splits_own_pool() -> None:
    questions = [
        EvalQuestion(
            "a", "When did Egypt join the ILRS?", True, ("6 December 2023",), ("x",), split="tuning"
        ),
        EvalQuestion("b", "When did Egypt join the ILRS?", True, ("6 December 2023",), ("x",), split="test"),
    ]
    copies = perturbed(questions, ["Egypt", "ILRS"])
    by_split = {s: {q.perturbation: q.question for q in copies if q.split == s} for s in ("tuning", "test")}
    assert set(by_split["tuning"]) == set(by_split["test"]) >= {"chatter", "mention", "emoji", "typo_name"}
    assert by_split["tuning"]["chatter"] != by_split["test"]["chatter"]
    assert all(q.keywords == ("6 December 2023",) for q in copies)


def test_right_needs_every_keyword_as_a_whole_word_and_the_asked_yes_or_no() -> None:
    q = EvalQuestion("q", "how many?", True, (("7", "seven"), "ILRS"), ("d",))
    assert is_right(q, Answer("q", "The ILRS had 7 member countries [1].", []))
    assert not is_right(q, Answer("q", "The ILRS had 17 member countries by 2027 [1].", []))
    yes_no = EvalQuestion("y", "is it?", True, (), ("d",), polarity="no")
    assert is_right(yes_no, Answer("y", "No. Egypt has not signed [1].", []))
    assert not is_right(yes_no, Answer("y", "Yes. Egypt signed [1].", []))
    assert not is_right(yes_no, Answer("y", "No. I couldn't find that.", [], refused=True))


def test_an_unanswerable_question_is_declined_by_a_refusal_or_a_lead_that_says_it_is_not_known() -> None:
    q = EvalQuestion("u", "on what day did NARIT sign?", False, (), ())
    assert is_right(q, Answer("u", "I couldn't find that in the indexed articles.", [], refused=True))
    assert is_right(
        q, Answer("u", "NARIT signed in 2023, but its exact date has not been found in the sources [1].", [])
    )
    assert is_right(
        q, Answer("u", "The exact day is not given in the sources [1]. It was in May 2024 [1].", [])
    )
    assert not is_right(
        q, Answer("u", "NARIT signed on 3 May 2023 [1]. Other details are not known [1].", [])
    )
    assert not is_right(q, Answer("u", "NARIT signed a joint statement in 2023 [1].", []))


def test_citation_validity_catches_a_keyword_its_passage_does_not_state() -> None:
    cite = Citation(1, "d", "T", "O", "2024-01-01", "https://e.org", "Egypt joined on 6 December 2023.")
    good = Answer("q", "Egypt joined on 6 December 2023 [1].", [cite])
    assert citation_valid(good, ("6 December 2023",))
    assert not citation_valid(Answer("q", "Egypt joined on 7 May 2024 [1].", [cite]), ("7 May 2024",))
    assert not citation_valid(Answer("q", "Egypt joined [2].", [cite]), ())


def test_citation_validity_accepts_another_form_of_the_fact_and_a_count_of_the_cited_list() -> None:
    cite = Citation(
        1, "d", "T", "O", "2024-01-01", "https://e.org", "Thailand became the ninth (9th) country."
    )
    assert citation_valid(Answer("q", "Thailand was the 9th country [1].", [cite]), (("9", "9th", "ninth"),))
    names = Citation(
        1, "d", "T", "O", "2025-01-01", "https://e.org", "Finland, Norway and Hungary signed in 2025."
    )
    listed = Answer("q", "3 countries signed in 2025: Finland, Norway and Hungary [1].", [names])
    assert citation_valid(listed, (("3", "three"),))
    wrong = Answer("q", "4 countries signed in 2025: Finland, Norway and Hungary [1].", [names])
    assert not citation_valid(wrong, ("4",))
