"""The offline answerer: cited sentences, registry answers, recency, refusals and follow-ups."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from retrieval.answer_types import REFUSAL, Answer
from retrieval.errors import BadInput
from retrieval.members_registry import human_date
from retrieval.sentences import split_sentences
from retrieval.services import Services
from tests.helpers import make_settings, write_article

ARTICLES = {
    "egypt-ilrs": (
        "Egypt joins the ILRS",
        "2023-12-06",
        "Egypt joined the International Lunar Research Station (ILRS) on 6 December 2023, when CNSA and "
        "the Egyptian Space Agency signed a cooperation agreement in Beijing. Egypt was the first Arab "
        "country to join the ILRS.",
    ),
    "pakistan-ilrs": (
        "Pakistan joins the ILRS",
        "2023-10-18",
        "Pakistan joined the ILRS on 18 October 2023 through an agreement between CNSA and SUPARCO "
        "signed in Beijing. The ILRS then had 6 member countries.",
    ),
    "thailand-ilrs": (
        "Thailand joins the ILRS",
        "2024-04-05",
        "Thailand joined the ILRS on 5 April 2024, becoming the 9th country in the project.",
    ),
    "thailand-artemis": (
        "Thailand signs the Artemis Accords",
        "2024-12-16",
        "Thailand signed the Artemis Accords on 16 December 2024, becoming the 51st signatory. "
        "With Thailand, the Artemis Accords had 51 signatories as of 16 December 2024.",
    ),
    "accords-count-2023": (
        "The Artemis Accords near 30 signatories",
        "2023-10-26",
        "The Artemis Accords had nearly 30 signatories in October 2023, when Iceland became "
        "the 30th signatory country of the Artemis Accords.",
    ),
    "accords-count-2025": (
        "State Department counts 59 signatories",
        "2025-12-03",
        "The U.S. Department of State said on 3 December 2025 that 59 countries had signed the "
        "Artemis Accords. Latvia was not yet counted.",
    ),
    "principles": (
        "The principles of the Artemis Accords",
        "2023-11-01",
        "The Artemis Accords set out ten principles for civil space exploration. The principles are "
        "peaceful purposes, transparency, interoperability, emergency assistance, registration, release "
        "of scientific data, heritage, space resources, deconfliction and orbital debris.",
    ),
    "uae-artemis": (
        "Eight founding signatories",
        "2020-10-14",
        "The United Arab Emirates signed the Artemis Accords on 13 October 2020 as a founding signatory. "
        "A Hong Kong paper later reported that the UAE had signed an ILRS agreement in June 2023.",
    ),
}
REGISTRY_ROWS = [
    ("ilrs", "Egypt", "2023-12-06", "8", "egypt-ilrs"),
    ("ilrs", "Pakistan", "2023-10-18", "6", "pakistan-ilrs"),
    ("ilrs", "Thailand", "2024-04-05", "9", "thailand-ilrs"),
    ("artemis_accords", "Thailand", "2024-12-16", "51", "thailand-artemis"),
    ("artemis_accords", "United Arab Emirates", "2020-10-13", "6", "uae-artemis"),
]


@pytest.fixture
def svc(tmp_path: Path) -> Services:
    corpus = tmp_path / "corpus"
    for doc_id, (title, published, body) in ARTICLES.items():
        write_article(corpus, doc_id, title, body, published=published)
    with (tmp_path / "members.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["coalition", "member", "member_type", "joined", "status", "order", "article", "sources", "notes"]
        )
        for coalition, member, joined, order, article in REGISTRY_ROWS:
            w.writerow(
                [
                    coalition,
                    member,
                    "country",
                    joined,
                    "member",
                    order,
                    article,
                    f"https://e.org/{article}",
                    "",
                ]
            )
    with (tmp_path / "coalitions.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "coalition",
                "began",
                "began_how",
                "founders",
                "led_by",
                "leader_terms",
                "began_article",
                "led_article",
                "complete_list",
                "sources",
            ]
        )
        w.writerow(
            [
                "artemis_accords",
                "2020-10-13",
                "when eight countries signed them",
                "United Arab Emirates",
                "NASA",
                "NASA",
                "uae-artemis",
                "uae-artemis",
                "yes",
                "https://e.org/a",
            ]
        )
        w.writerow(
            [
                "ilrs",
                "2021-03-09",
                "when China and Russia signed a memorandum",
                "China;Russia",
                "CNSA",
                "CNSA",
                "egypt-ilrs",
                "egypt-ilrs",
                "no",
                "https://e.org/i",
            ]
        )
    services = Services(make_settings(tmp_path, corpus=corpus))
    services.reindex()
    return services


def assert_contract(answer: Answer) -> None:
    """Every sentence carries a valid [n] whose passage holds that sentence's facts."""
    numbers = {c.n: c for c in answer.citations}
    assert answer.citations and not answer.refused
    for sentence in split_sentences(answer.text):
        if sentence in ("Yes.", "No.", "Not yet.", "Unconfirmed."):
            continue  # the direct answer to a yes/no question; the sentence after it carries the facts
        cited = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
        assert cited, f"uncited sentence: {sentence!r}"
        assert all(n in numbers for n in cited)
        for date in re.findall(r"\d{1,2} \w+ \d{4}", sentence):  # from the passage, or the article's own date
            assert any(
                date in numbers[n].passage or date == human_date(numbers[n].published) for n in cited
            ), (date, sentence)


def test_when_question_is_answered_with_the_date_and_a_citation(svc: Services) -> None:
    answer = svc.answerer.answer("when did egypt join the ilrs?")
    assert "6 December 2023" in answer.text
    assert answer.citations[0].doc_id == "egypt-ilrs" and answer.citations[0].published == "2023-12-06"
    assert_contract(answer)


def test_registry_answers_membership_questions_and_cites_the_rows_article(svc: Services) -> None:
    answer = svc.answerer.answer("hey bot, when did pakistan join?")
    assert "18 October 2023" in answer.text and [c.doc_id for c in answer.citations] == ["pakistan-ilrs"]
    both = svc.answerer.answer("is thailand in both?")
    assert both.text.startswith("Yes. Thailand is in both")
    assert {c.doc_id for c in both.citations} == {"thailand-ilrs", "thailand-artemis"}
    assert_contract(both)
    no = svc.answerer.answer("did egypt sign the artemis accords?")
    assert no.text.startswith("No. Egypt has not signed the Artemis Accords")  # the Accords' list is complete
    assert "6 December 2023" in no.text  # and what is known instead


@pytest.mark.parametrize(
    "question",
    [
        "when did the uae sign the artemis accords",
        "when did the united arab emirates sign the artemis accords",
    ],
)
def test_a_member_named_by_its_alias_is_answered_from_the_registry(svc: Services, question: str) -> None:
    from retrieval.registry_answers import CONFIDENCE

    answer = svc.answerer.answer(question)
    assert "13 October 2020" in answer.text and answer.confidence == CONFIDENCE  # the registry's route
    assert [c.doc_id for c in answer.citations] == ["uae-artemis"]
    assert_contract(answer)


def test_counts_prefer_the_newest_article_and_say_as_of(svc: Services) -> None:
    answer = svc.answerer.answer("how many signatories do the artemis accords have now?")
    assert "59" in answer.text and "3 December 2025" in answer.text
    assert answer.citations[0].doc_id == "accords-count-2025"
    assert answer.text.index("59") < answer.text.find("30") if "30" in answer.text else True
    assert_contract(answer)


def test_what_question_gets_the_listing_sentence(svc: Services) -> None:
    answer = svc.answerer.answer("what are the principles of the artemis accords")
    assert all(w in answer.text for w in ("transparency", "interoperability", "orbital debris"))
    assert_contract(answer)


@pytest.mark.parametrize(
    "question", ["what is the ILRS budget?", "who won the world cup", "when did iran join the ilrs"]
)
def test_questions_the_articles_do_not_cover_are_refused_with_closest_sources(
    svc: Services, question: str
) -> None:
    answer = svc.answerer.answer(question)
    assert answer.refused and answer.text.startswith(REFUSAL)
    assert not re.search(r"\[\d+\]", answer.text)
    assert answer.confidence < svc.offline_answerer.refuse_below


def test_follow_up_borrows_the_member_from_the_previous_question(svc: Services) -> None:
    answer = svc.answerer.answer(
        "and when did they sign the artemis accords?", context="when did thailand join the ilrs"
    )
    assert "16 December 2024" in answer.text and answer.citations[0].doc_id == "thailand-artemis"


@pytest.mark.parametrize(
    ("question", "message"), [("", "empty"), ("   ", "empty"), ("x" * 501, "limit is 500")]
)
def test_bad_questions_raise_bad_input(svc: Services, question: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        svc.answerer.answer(question)


def test_answer_json_has_the_documented_keys(svc: Services) -> None:
    data = svc.answerer.answer("when did egypt join the ilrs").to_json()
    assert {"question", "answer", "refused", "confidence", "citations", "latency_ms"} <= data.keys()
    assert {"n", "doc_id", "title", "published", "url", "passage"} <= data["citations"][0].keys()


def test_a_self_contained_question_does_not_borrow_from_the_previous_one(svc: Services) -> None:
    answer = svc.answerer.answer(
        "how many signatories do the artemis accords have now?", context="when did egypt join the ilrs"
    )
    assert "59" in answer.text and "Egypt" not in answer.text


def test_a_pronoun_with_nobody_to_refer_to_is_not_guessed(svc: Services) -> None:
    answer = svc.answerer.answer("and when did they sign the artemis accords?")
    assert answer.refused and answer.text.startswith(REFUSAL)


def test_concurrent_questions_do_not_share_state(svc: Services) -> None:
    """The bot answers in worker threads: one question's "they" with nobody to refer to must not make
    another thread's answer refuse, and an answerable question must not lift that refusal."""
    from concurrent.futures import ThreadPoolExecutor

    questions = ["and when did they sign the artemis accords?", "when did egypt join the ilrs?"] * 30
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(svc.offline_answerer.answer, questions))
    for question, answer in zip(questions, answers, strict=True):
        assert answer.refused == question.startswith("and when did they"), (question, answer.text)
