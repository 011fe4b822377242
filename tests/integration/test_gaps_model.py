"""The coverage gaps' similarity threshold on the real model: rephrasings of one question are one gap,
different questions about the same coalitions are not (the pairs retrieval/gaps.SIMILARITY is set from)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from retrieval.gaps import SIMILARITY, GapQuestion, group_questions, places_named
from retrieval.services import Services

pytestmark = pytest.mark.model

SAME_GAP = [
    ("when did egypt join the ilrs", "egypt ilrs join date?"),
    ("when did egypt join the ilrs", "what date did Egypt become an ILRS member?"),
    ("what is the ILRS budget", "how much money does the ILRS cost?"),
    ("who leads nasa", "who is the NASA administrator"),
    ("how many countries signed the artemis accords", "number of artemis accords signatories"),
    ("what rocket will ILRS use", "which launch vehicle does the ILRS rely on"),
]
OTHER_GAPS = [
    ("when did egypt join the ilrs", "who leads nasa"),
    ("when did egypt join the ilrs", "when did belarus join the ilrs"),
    ("when did egypt join the ilrs", "when did egypt sign the artemis accords"),
    ("what is the ILRS budget", "what is the artemis program budget"),
    ("how many countries signed the artemis accords", "how many members does the ILRS have"),
    ("what rocket will ILRS use", "when will the ILRS be completed"),
    ("who leads nasa", "who heads CNSA"),
]


def cosine(embedder, a: str, b: str) -> float:  # type: ignore[no-untyped-def]
    va, vb = np.asarray(embedder.embed_documents([a, b]))
    return float(va @ vb)


@pytest.mark.parametrize(("a", "b"), SAME_GAP)
def test_rephrasings_of_one_question_are_at_least_the_threshold_apart(real_embedder, a: str, b: str) -> None:
    assert cosine(real_embedder, a, b) >= SIMILARITY


@pytest.mark.parametrize(("a", "b"), OTHER_GAPS)
def test_different_questions_about_the_same_coalitions_are_below_the_threshold(
    real_embedder, a: str, b: str
) -> None:
    assert cosine(real_embedder, a, b) < SIMILARITY


def test_the_egypt_rephrasings_group_together_and_nasa_stays_apart(real_embedder) -> None:
    now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    texts = ["when did egypt join the ilrs", "who leads nasa", "egypt ilrs join date?"]
    questions = [
        GapQuestion(str(i), text, now - dt.timedelta(hours=i), refused=True) for i, text in enumerate(texts)
    ]
    groups = group_questions(questions, real_embedder)
    assert [sorted(g.distinct_questions()) for g in groups] == [
        ["egypt ilrs join date?", "when did egypt join the ilrs"],
        ["who leads nasa"],
    ]


def test_questions_about_different_countries_are_different_gaps_however_alike_their_words(
    real_embedder, starter_services: Services
) -> None:
    india, pakistan, india_again = (
        "will india join the ilrs",
        "will pakistan join the ilrs",
        "is india part of ILRS?",
    )
    assert cosine(real_embedder, india, pakistan) >= SIMILARITY  # the model alone would make them one gap
    places = places_named(starter_services)
    assert places is not None and places(india) == {"India"} and places(pakistan) == {"Pakistan"}
    now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    questions = [
        GapQuestion(str(i), text, now - dt.timedelta(hours=i), refused=True)
        for i, text in enumerate([india, pakistan, india_again])
    ]
    groups = group_questions(questions, real_embedder, places=places)
    assert [sorted(g.distinct_questions()) for g in groups] == [[india_again, india], [pakistan]]
