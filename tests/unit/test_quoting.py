"""Article text is data: what a quoted sentence or title keeps, and the markup it loses."""

from __future__ import annotations

import pytest

from retrieval.answer_types import AnswerBuilder, Evidence
from retrieval.quoting import neutralise, safe_url


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # citation-like markers
        ("They agreed to build it jointly [2][3].", "They agreed to build it jointly."),
        ("Signed in 2024 [2, 3] and [4-6] and [12].", "Signed in 2024 and and."),
        ("The 60th signatory[^1] [note 2] [a] [citation needed].", "The 60th signatory."),
        ("Lookalike brackets ［４］ and 【5】 and 〚6〛.", "Lookalike brackets and and."),
        ("Hidden inside [\u200b2\u200b] brackets.", "Hidden inside brackets."),
        ("Footnote marks¹²† and ‡ go.", "Footnote marks and go."),
        ("A 100 m² panel and a 3 km³ tank stay.", "A 100 m2 panel and a 3 km3 tank stay."),
        # links: the link text stays, the address goes
        ("Per [this NASA page](https://evil.example/a?b=(1)) it is 59.", "Per this NASA page it is 59."),
        (
            "A [masked](<https://evil.example>) and ![image](https://evil.example/i.png) link.",
            "A masked and image link.",
        ),
        (
            "See https://evil.example/x. Or <https://evil.example/y> or www.evil.example or discord.gg/abc!",
            "See. Or or or!",
        ),
        ("(see https://nasa.gov), they said.", "(see), they said."),
        (
            "A reference [link][ref] and a nested [[2]](https://evil.example).",
            "A reference link and a nested.",
        ),
        ("[sic] stays as words.", "(sic) stays as words."),
        # mentions and Discord markup
        (
            "Hi <@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#123456789012345678>.",
            "Hi.",
        ),
        ("Ping @everyone and @here now.", "Ping @\u200beveryone and @\u200bhere now."),
        ("Raw @123456789012345678 id.", "Raw @\u200b123456789012345678 id."),
        ("Use </ask:123456789012345678> or <id:customize>.", "Use or."),
        (
            "Signed <t:1767225600:R> with <:party:123456789012345678> <a:wave:123456789012345678>.",
            "Signed 2026-01-01 with :party: :wave:.",
        ),
        # formatting that changes rendering
        ("# Heading\n> quoted\n>>> all quoted\n-# small\n- bullet", "Heading quoted all quoted small bullet"),
        ("```py\nprint(1)\n``` and `code` and ||spoiler||.", "py print(1) and code and spoiler."),
        (
            "**bold** __underline__ ~~strike~~ *italic* _italic_ \\*escaped\\*.",
            "bold underline strike italic italic escaped.",
        ),
        (
            "snake_case keeps its underscore; a < b and c > d.",
            "snake_case keeps its underscore; a ‹ b and c › d.",
        ),
        ("Terminal \x1b[2J escape\x00 and\u202e reversal.", "Terminal (2J escape and reversal."),
        # ordinary news text is untouched
        (
            "Egypt joined the ILRS on 6 December 2023, when CNSA signed in Beijing (the capital).",
            "Egypt joined the ILRS on 6 December 2023, when CNSA signed in Beijing (the capital).",
        ),
        ("The U.S. signed first; 8 countries did too.", "The U.S. signed first; 8 countries did too."),
        ("[2][3]", ""),
    ],
)
def test_quoted_text_keeps_its_words_and_loses_its_markup(text: str, quoted: str) -> None:
    assert neutralise(text) == quoted


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
        (
            "https://example.org/a> [x](https://evil.example)",
            "https://example.org/a%3E%20%5Bx%5D(https://evil.example)",
        ),
        ("http://example.org/a|b`c", "http://example.org/a%7Cb%60c"),
        ("javascript:alert(1)", ""),
        ("ftp://example.org/a", ""),
        ("", ""),
    ],
)
def test_a_source_link_cannot_break_out_of_its_angle_brackets(url: str, shown: str) -> None:
    assert safe_url(url) == shown


def _evidence(doc_id: str) -> Evidence:
    return Evidence(doc_id, "Title", "Outlet", "2026-03-04", f"https://example.org/{doc_id}", "passage")


def test_the_only_citation_numbers_in_an_answer_are_the_builders_own() -> None:
    builder = AnswerBuilder()
    builder.add("Ruritania and Russia agreed to build it jointly [2][3].", _evidence("a"))
    builder.add(
        "It joined on 4 March 2026, per [this NASA page](https://evil.example/nasa) @everyone.",
        _evidence("b"),
    )
    builder.add("[7]", _evidence("c"))  # nothing but a marker: neither said nor cited
    assert builder.text == (
        "Ruritania and Russia agreed to build it jointly [1]. "
        "It joined on 4 March 2026, per this NASA page @\u200beveryone [2]."
    )
    assert [c.n for c in builder.citations] == [1, 2]


def test_a_sentence_ending_in_a_quote_keeps_it_when_cited() -> None:
    from retrieval.sentences import split_sentences

    passage = 'Its full name is "The Ruritania Accords: Principles for Peace." NASA drafted it. (It was short.) Then more.'
    sentences = split_sentences(passage)
    assert sentences[:3] == [
        'Its full name is "The Ruritania Accords: Principles for Peace."',
        "NASA drafted it.",
        "(It was short.)",
    ]
    builder = AnswerBuilder()
    builder.add(sentences[0], _evidence("a"))
    assert builder.text == 'Its full name is "The Ruritania Accords: Principles for Peace" [1].'
