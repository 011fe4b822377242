"""Rendering for Discord: pure functions, table-driven (answers, lists, plain words, conversation, cards)."""

from __future__ import annotations

import pytest

from bot.cards import Freshness, usage_card
from bot.conversation import display_question, is_help_request, next_steps, same_question, tidy_resolved
from bot.lists import Section, member_pages, overlap_page, paginate
from bot.plain_words import ordinal, plain_note
from bot.rendering import (
    ANSWER_COLOUR,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    MAX_SOURCES_SHOWN,
    REFUSAL_COLOUR,
    AnswerCard,
    cut_at_word,
    discord_time,
    masked,
    render_answer,
    short_date,
    source_entry,
    split_message,
)
from retrieval.answer_types import Answer, Citation
from retrieval.members_registry import Member, MemberList


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 2000, ["short"]),
        ("", 2000, []),
        ("aaaa\n\nbbbb", 6, ["aaaa", "bbbb"]),  # paragraph boundary
        ("aa\n\nbb\n\ncc", 6, ["aa\n\nbb", "cc"]),  # paragraphs packed while they fit
        ("line one\nline two", 10, ["line one", "line two"]),  # then line boundaries
        ("alpha beta gamma", 11, ["alpha beta", "gamma"]),  # then words
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),  # a single huge token is cut
    ],
)
def test_split_message_cuts_at_the_largest_boundary_that_fits(
    text: str, limit: int, expected: list[str]
) -> None:
    parts = split_message(text, limit)
    assert parts == expected
    assert all(len(p) <= limit for p in parts)


def test_split_message_keeps_every_word_of_a_long_answer() -> None:
    text = "\n\n".join(" ".join(f"w{p}-{i}" for i in range(300)) for p in range(5))
    parts = split_message(text, 2000)
    assert all(len(p) <= 2000 for p in parts) and len(parts) > 1
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


@pytest.mark.parametrize(
    ("date", "shown"),
    [("2023-12-06", "6 Dec 2023"), ("2023-10", "Oct 2023"), ("2021", "2021"), ("", ""), ("soon", "soon")],
)
def test_dates_are_written_day_first_like_the_answers(date: str, shown: str) -> None:
    assert short_date(date) == shown


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [
        ("When did Egypt join the ILRS?", 100, "When did Egypt join the ILRS?"),
        ("When did Egypt join the ILRS?", 20, "When did Egypt join…"),
        ("Supercalifragilistic", 10, "Supercali…"),  # one long word is cut inside it
    ],
)
def test_cut_at_word(text: str, limit: int, cut: str) -> None:
    assert cut_at_word(text, limit) == cut and len(cut) <= limit


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            (1, "Title", "NASA", "2024-01-02", "https://e.org/a"),
            "[1] [Title](https://e.org/a) — NASA · 2 Jan 2024",
        ),
        ((2, "Title", "", "2024-01-02", "https://e.org/a"), "[2] [Title](https://e.org/a) — 2 Jan 2024"),
        ((3, "Title", "", "", ""), "[3] Title"),  # no link: plain text, never a made-up one
        (
            (4, "Egypt joins", "People's Daily", "2023-12-06", "http://p.cn/a", ""),
            "[4] [Egypt joins](http://p.cn/a) — summary of People's Daily report · 6 Dec 2023",
        ),
        (
            (5, "Egypt joins", "People's Daily", "2023-12-06", "http://p.cn/a", "a People's Daily report"),
            "[5] [Egypt joins](http://p.cn/a) — summary of a People's Daily report · 6 Dec 2023",
        ),
    ],
)
def test_a_source_is_a_clickable_title_with_outlet_and_date_and_a_summary_says_so(
    args: tuple, line: str
) -> None:
    assert source_entry(*args) == line


def test_titles_outlets_and_links_from_articles_are_shown_as_plain_text() -> None:
    line = source_entry(
        1,
        "Ruritania joins [2] [see this NASA page](https://evil.example/t) **now** @everyone",
        "Evil_Wire <@&123456789012345678> @here",
        "2026-03-04",
        "https://example.org/r) [x](https://evil.example)",
    )
    assert line == (
        "[1] [Ruritania joins see this NASA page now @\u200beveryone]"
        "(https://example.org/r%29%20%5Bx%5D%28https://evil.example%29) — Evil\\_Wire @\u200bhere · 4 Mar 2026"
    )
    assert masked("a [b] c", "javascript:alert(1)") == "a \\[b\\] c"


def _citations(n: int) -> list[Citation]:
    return [
        Citation(i, f"d{i}", f"T{i}", "O", "2024-01-01", f"https://e.org/{i}", "p") for i in range(1, n + 1)
    ]


def test_an_answer_is_one_embed_titled_by_the_question_with_sources_and_a_plain_footer() -> None:
    answer = Answer(
        "q", "Egypt joined on 6 December 2023 [1].", _citations(12), confidence=0.9, note="registry:member"
    )
    (page,) = render_answer(answer, AnswerCard("When did Egypt join the ILRS?", summaries={"d2": ""}))
    assert (page.title, page.colour, page.footer) == (
        "When did Egypt join the ILRS?",
        ANSWER_COLOUR,
        "From 12 articles · answered offline",
    )
    assert page.description == "Egypt joined on 6 December 2023 [1]."  # no internal route note
    sources = "\n".join(v for n, v in page.fields if n.startswith("Sources"))
    assert sources.count("\n[") == MAX_SOURCES_SHOWN - 1 and f"… and {12 - MAX_SOURCES_SHOWN} more" in sources
    assert "[2] [T2](https://e.org/2) — summary of O report · 1 Jan 2024" in sources


def test_a_refusal_has_its_own_colour_the_closest_sources_next_steps_and_no_footer() -> None:
    refusal = Answer("q", "I couldn't find that.", _citations(2), refused=True)
    (page,) = render_answer(refusal, AnswerCard("Why?", next_steps=["`/members` — every member"]))
    names = [n for n, _ in page.fields]
    assert page.colour == REFUSAL_COLOUR and page.footer == "" and names == ["Closest sources", "Try"]
    assert dict(page.fields)["Try"] == "• `/members` — every member"


def test_a_follow_up_shows_how_it_was_read_and_the_first_answer_says_how_to_follow_up() -> None:
    (page,) = render_answer(
        Answer("q", "Thailand signed on 16 December 2024 [1].", _citations(1)),
        AnswerCard("And when did they sign?", read_as="When did Thailand sign?", hint="Mention me."),
    )
    assert page.description.startswith("*Read as: When did Thailand sign?*\n\n")
    assert ("Follow up", "Mention me.") in page.fields


def test_a_long_answer_continues_in_more_embeds_each_under_the_limits() -> None:
    text = "\n\n".join("Paragraph [1]. " + "word " * 300 for _ in range(8))
    pages = render_answer(Answer("q", text, _citations(1)), AnswerCard("Q " * 200))
    assert len(pages) > 1 and pages[0].title and not any(p.title for p in pages[1:])
    assert all(len(p.description) <= 4096 and p.size() <= EMBED_TOTAL_LIMIT for p in pages)
    assert all(not p.fields for p in pages[:-1]) and pages[-1].fields and pages[-1].footer
    assert len(pages[0].title) <= 256 and pages[0].title.endswith("…")


def _member(
    name: str, order: int | None, kind: str = "country", status: str = "member", joined: str = "2024-01-01"
) -> Member:
    return Member(
        "ilrs", name, kind, joined, status, order, "a", (f"https://e.org/{name}",), "MoU CNSA-MHESI"
    )


def test_member_pages_number_only_what_the_title_counts_and_fit_as_few_pages_as_needed() -> None:
    rows = [_member(f"Country {i}", i) for i in range(1, 90)] + [
        _member("An Institute", None, "organisation")
    ]
    listing = MemberList("ilrs", rows, [_member("Maybe", None, status="unconfirmed", joined="2023-06")])
    pages = member_pages(listing)
    assert all(p.title == "ILRS: 89 member countries" for p in pages)
    numbered = [
        line for p in pages for n, v in p.fields if n.startswith("Countries") for line in v.splitlines()
    ]
    assert [line.split(".")[0] for line in numbered] == [str(i) for i in range(1, 90)]
    assert numbered[0] == "1. Country 1 — 1 Jan 2024 · [source](https://e.org/Country%201)" or numbered[
        0
    ].startswith("1. Country 1 — 1 Jan 2024 · [source](https://e.org/Country")
    assert all("(#" not in line for line in numbered)  # one numbering scheme
    others = {n: v for p in pages for n, v in p.fields}
    assert others["Partner organisations"].startswith("• An Institute — 1 Jan 2024")
    assert others["Not counted"].startswith("• Maybe — reported Jun 2023, unconfirmed")
    assert all(
        p.size() <= EMBED_TOTAL_LIMIT and all(len(v) <= FIELD_VALUE_LIMIT for _, v in p.fields) for p in pages
    )
    total = sum(len(n) + len(v) for p in pages for n, v in p.fields)
    assert len(pages) <= total // (EMBED_TOTAL_LIMIT - 1200) + 1  # no more pages than the content needs
    assert [p.footer for p in pages] == [
        f"Page {i} of {len(pages)} · from the members registry" for i in range(1, len(pages) + 1)
    ]


def test_paginate_fills_a_page_before_starting_the_next() -> None:
    pages = paginate("T", "", [Section("Lines", [f"line {i} " + "x" * 80 for i in range(200)])])
    for page, following in zip(pages, pages[1:], strict=False):
        first = following.fields[0]
        assert page.size() + len(first[0]) + len(first[1]) > EMBED_TOTAL_LIMIT - 200 or len(page.fields) == 25


def test_overlap_counts_what_it_lists() -> None:
    thai = (
        Member(
            "artemis_accords", "Thailand", "country", "2024-12-16", "member", 51, "a", ("https://e.org/t",)
        ),
        Member("ilrs", "Thailand", "country", "2024-04-05", "member", 9, "b", ("https://e.org/u",)),
    )
    uae = (
        Member("artemis_accords", "UAE", "country", "2020-10-13", "member", 6, "a", ("https://e.org/v",)),
        Member("ilrs", "UAE", "country", "2023-06", "unconfirmed", None, "b", ("https://e.org/w",)),
    )
    page = overlap_page([thai, uae])
    fields = dict(page.fields)
    assert page.title == "In both coalitions: 1 country" and fields["In both"].count("\n") == 0
    assert fields["In both"].startswith("1. Thailand — ILRS 5 Apr 2024 ([source](https://e.org/u))")
    assert fields["Not counted"].startswith("• UAE — ILRS reported Jun 2023, unconfirmed")


@pytest.mark.parametrize(
    ("note", "plain"),
    [
        (
            "9th country; MoU CNSA-MHESI; also Artemis signatory (2024-12-16)",
            "9th country. Memorandum of understanding between China National Space Administration (CNSA) and "
            "Thailand's Ministry of Higher Education, Science, Research and Innovation (MHESI). Also Artemis "
            "Accords signatory (16 December 2024).",
        ),
        (
            "UNCONFIRMED: reported by Ta Kung Pao (June 2023)",
            "Unconfirmed: reported by Ta Kung Pao (June 2023).",
        ),
        (
            "CNSA-SUPARCO agreement; announced 2023-10-20",
            "Agreement between China National Space Administration "
            "(CNSA) and Pakistan's Space and Upper Atmosphere Research Commission (SUPARCO). Announced 20 October 2023.",
        ),
        ("first new country; announced 07-18", "First new country. Announced 18 July."),
        ("Philippines signed one day later (#58/59)", "Philippines signed one day later (58th and 59th)."),
        ("", ""),
    ],
)
def test_registry_notes_are_shown_in_plain_words(note: str, plain: str) -> None:
    assert plain_note(note) == plain


@pytest.mark.parametrize(
    ("n", "word"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (22, "22nd"), (51, "51st")]
)
def test_ordinal(n: int, word: str) -> None:
    assert ordinal(n) == word


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<@123> hey, when did **Egypt** join?", "When did Egypt join?"),
        ("quick q: is thailand in both", "Is thailand in both"),
        ("hello", "Hello"),  # a greeting alone stays
    ],
)
def test_the_question_is_shown_without_mentions_markup_or_greetings(text: str, shown: str) -> None:
    assert display_question(text) == shown


@pytest.mark.parametrize(
    ("text", "is_help"),
    [
        ("help", True),
        ("Help!", True),
        ("/help", True),
        ("what can you do?", True),
        ("help astronauts in distress", False),
    ],
)
def test_help_requests(text: str, is_help: bool) -> None:
    assert is_help_request(text) is is_help


@pytest.mark.parametrize(
    ("resolved", "previous", "same"),
    [
        ("when did Thailand join? the ILRS", "when did thailand join the ilrs?", True),
        ("when did Thailand sign the artemis accords?", "when did thailand join the ilrs?", False),
        ("when did egypt join the ilrs", None, False),
    ],
)
def test_same_question_compares_the_questions_as_read(
    resolved: str, previous: str | None, same: bool
) -> None:
    assert same_question(resolved, previous) is same


def test_tidy_resolved() -> None:
    assert tidy_resolved(", when did thailand join the ilrs?") == "When did thailand join the ilrs?"
    assert tidy_resolved("when did Thailand join? the ILRS") == "When did Thailand join the ILRS?"


def test_next_steps_name_the_member_commands_for_the_names_in_the_question() -> None:
    phrases = {
        ("thailand",): ("member", "Thailand"),
        ("ilrs",): ("coalition", "ilrs"),
        ("turkey",): ("country", "TUR"),
    }
    steps = next_steps("did turkey or thailand join the ilrs?", phrases, {"TUR": "Türkiye"})
    assert steps[:3] == [
        "`/member name:Türkiye` — whether it is in either coalition",
        "`/member name:Thailand` — its coalitions, dates and sources",
        "`/members coalition:ILRS` — every member, with dates",
    ]
    assert steps[-1].startswith("Rephrase")


def test_the_usage_card_says_how_follow_ups_work_for_each_intent_setting() -> None:
    fresh = Freshness(104, 100, "2025-12-03", "T", "2025-10-27", "2026-01-01T00:00:00Z")
    off = dict(usage_card(fresh, message_content=False).fields)
    on = dict(usage_card(fresh, message_content=True).fields)
    assert "mention me" in off["Follow-ups"] and "reply to my answer" in off["Follow-ups"]
    assert "Everything said in that thread is a follow-up" in on["Follow-ups"]
    assert off["Where answers come from"] == (
        "104 articles (100 of them summaries written for this corpus), the newest dated 3 Dec 2025; a members "
        "registry whose latest joining is 27 October 2025; last refreshed <t:1767225600:R>."
    )


@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2026-01-01T00:00:00Z", "<t:1767225600:R>"),
        ("2026-01-01T00:00:00+00:00", "<t:1767225600:R>"),
        ("never", ""),
    ],
)
def test_discord_timestamps(iso: str, shown: str) -> None:
    assert discord_time(iso) == shown


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("<@123> hey, when did thailand join the ilrs?", "When did thailand join the ilrs?"),
        ("Hi! ok so **which** countries signed in 2024?", "Which countries signed in 2024?"),
        (
            "which countries that signed the artemis accords in 2024 were also members of the international "
            "lunar research station at the time",
            "Which countries that signed the artemis accords in 2024 were also members of the…",
        ),
        ("<@123>", "Question"),
        ("word " * 18 + "more", "Word" + " word" * 17 + "…"),  # a word ending right at the limit is kept
    ],
)
def test_threads_are_named_from_the_cleaned_question_cut_at_a_word(question: str, name: str) -> None:
    from bot.cogs.ask import thread_name

    assert thread_name(question) == name and len(name) <= 90


def test_a_list_of_organisations_counts_organisations_even_when_there_are_none() -> None:
    assert member_pages(MemberList("artemis_accords", []), "organisation")[0].title == (
        "Artemis Accords: 0 partner organisations"
    )
    orgs = MemberList("ilrs", [_member("An Institute", None, "organisation")])
    assert member_pages(orgs, "organisation")[0].title == "ILRS: 1 partner organisation"
