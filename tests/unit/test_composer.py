"""Writing answers: leads that stand alone, no repeats, short one-fact answers, and the evidence checks
that decide whether a sentence carries what was asked."""

from __future__ import annotations

import pytest

from retrieval import composer


@pytest.mark.parametrize(
    ("sentence", "freed"),
    [
        ("However, Egypt joined the ILRS on 6 December 2023.", "Egypt joined the ILRS on 6 December 2023."),
        ("In addition, Senegal signed in July 2025.", "Senegal signed in July 2025."),
        ("But the Accords are not a treaty.", "The Accords are not a treaty."),
        ("Egypt joined the ILRS.", "Egypt joined the ILRS."),
    ],
)
def test_a_connective_that_can_go_is_dropped(sentence: str, freed: str) -> None:
    assert composer.free_of_connective(sentence) == freed


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("This made it the first Arab member.", True),
        ("They signed on the same day.", True),
        ("The two Southeast Asian countries signed a day apart.", True),
        ("The two Southeast Asian countries, Malaysia and the Philippines, signed a day apart.", False),
        ("Six days later, Roscosmos gave another figure.", True),
        ("Malaysia signed the Artemis Accords on 26 October 2025.", False),
    ],
)
def test_a_sentence_that_leans_on_the_one_before_is_recognised(sentence: str, leans: bool) -> None:
    assert composer.refers_back(sentence) is leans


def test_a_leaning_sentence_is_shown_with_the_one_it_leans_on_or_not_at_all() -> None:
    before = "Malaysia and the Philippines signed the Artemis Accords in October 2025."
    assert composer.standalone("They signed a day apart.", before) == f"{before} They signed a day apart."
    assert composer.standalone("They signed a day apart.", None) is None
    assert composer.standalone("However, Latvia had not signed.", None) == "Latvia had not signed."


def test_a_long_one_fact_sentence_is_cut_after_the_clause_with_the_answer() -> None:
    long = (
        "Egypt was the 8th country in the ILRS on 6 December 2023, which placed a second African state in the "
        "project after South Africa, while the month before had seen no new members at all, and observers in "
        "Cairo and Beijing described the agreement as the start of a long partnership on lunar science and on "
        "the exchange of data between the two space agencies for years to come."
    )
    short = composer.shorten(long, ["Egypt"], "date")
    assert short == "Egypt was the 8th country in the ILRS on 6 December 2023." and len(short) < 300
    assert composer.shorten(long, ["Cairo"], "date") == long  # the question's own word must stay
    assert composer.shorten("Short one.", [], "date") == "Short one."


def test_near_duplicates_but_not_a_second_source_with_another_date() -> None:
    a = "Senegal signed the Artemis Accords on 24 July 2025, the 56th signatory."
    assert composer.near_duplicate(
        a, "Senegal signed the Artemis Accords on 24 July 2025 as the 56th signatory."
    )
    assert not composer.near_duplicate(
        a, "NASA dates Senegal's signing to 24 July 2025, while another report gives 26 July 2025."
    )


@pytest.mark.parametrize(
    ("text", "expects", "has"),
    [
        ("Egypt joined on 6 December 2023.", "date", True),
        ("Egypt joined the ILRS.", "date", False),
        ("59 countries had signed.", "number", True),
        ("The ceremony began at 10:30 a.m. local time.", "time", True),
        ("Egypt paid $5 million.", "money", True),
        ("Egypt joined in Beijing.", "money", False),
        ("Karen Feldstein said the principles had not been released.", "person", True),
        ("Pakistan's space agency SUPARCO signed the agreement.", "agent", True),
        ("The workshop was held at the headquarters of the Canadian Space Agency.", "place", True),
        ("The meeting was held in April 2024.", "place", False),
        ("Beijing took the lead because of Russia's invasion of Ukraine.", "reason", True),
    ],
)
def test_whether_a_sentence_carries_what_was_asked(text: str, expects: str, has: bool) -> None:
    assert composer.has_type(text, expects) is has


def test_counts_ordinals_and_plans() -> None:
    assert composer.counts_thing("The Accords set out 10 principles.", "principles")
    assert not composer.counts_thing("The Accords set out 10 principles.", "pages")
    assert composer.counts_thing("25 of the 40 Artemis Accords signatories attended.", "signatories")
    assert composer.has_ordinal("Senegal became the 13th nation in the ILRS.", 13)
    assert not composer.has_ordinal("The 2nd Artemis Accords Workshop was held in May 2024.", 3)
    assert not composer.same_ordinal("The 2nd Artemis Accords Workshop was held in May 2024.", 3, "workshop")
    assert composer.future_dated("Chang'e-7 is planned for around 2026.", "2023-09-08")
    assert not composer.future_dated("Latvia announced on 31 October 2025 that it would join.", "2025-11-01")
    assert composer.without("NASA said Maram Kairé signed for Senegal.", ["NASA", "Senegal"]).count("x") == 2
    assert (
        composer.iso_date("6 December 2023") == "2023-12-06"
        and composer.iso_date("October 2023") == "2023-10-01"
    )


def test_two_answers_joined_share_one_numbering() -> None:
    from retrieval.answer_types import Answer, Citation, join_answers

    a = Citation(1, "egypt", "Egypt joins", "O", "2023-12-06", "https://e.org/1", "Egypt joined.")
    b = Citation(1, "pakistan", "Pakistan joins", "O", "2023-10-18", "https://e.org/2", "Pakistan joined.")
    c = Citation(2, "egypt", "Egypt joins", "O", "2023-12-06", "https://e.org/1", "It signed in Beijing.")
    joined = join_answers(
        Answer("q", "Egypt joined [1].", [a]), Answer("q", "Pakistan joined [1]. Egypt too [2].", [b, c])
    )
    assert joined.text == "Egypt joined [1]. Pakistan joined [2]. Egypt too [1]."
    assert [x.doc_id for x in joined.citations] == ["egypt", "pakistan"]
    assert "It signed in Beijing." in joined.citations[0].passage


def test_a_person_is_found_in_the_sentence_as_written_and_must_be_someone_the_question_did_not_name() -> None:
    from retrieval.composer import names_other

    said = "CNSA deputy director Bian Zhigang said on 23 April 2025 that 17 countries had joined."
    assert names_other(said, ["CNSA", "official", "said", "April"], "person")
    assert not names_other(
        "CNSA said on 23 April 2025 that 17 countries had joined.", ["CNSA", "said"], "person"
    )
    assert not names_other("The list named Belarus, South Africa, Egypt and Serbia.", ["list"], "person")
    assert names_other("The memorandum was signed by Zhang Kejian for CNSA.", ["CNSA", "signed"], "person")


def test_citation_marks_are_not_figures_when_sentences_are_compared() -> None:
    from retrieval import composer

    said = "CNSA and Roscosmos issued a joint statement in Nanjing opening the ILRS to all countries"
    assert composer.near_duplicate(f"{said} [2].", f"{said} [1].")
