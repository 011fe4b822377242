"""Membership news: sentences that report a member joining, signing, being announced or withdrawing are read
into events with the registry's names and resolved dates; the tricky negatives are not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from retrieval.documents import Article
from retrieval.evaluation import (
    MembershipItem,
    detection_figures,
    detection_table,
    load_membership_sentences,
)
from retrieval.members_registry import COALITIONS
from retrieval.membership_news import (
    ACTIONS,
    PRECISIONS,
    MembershipEvent,
    MembershipNews,
    article_sentences,
    compare_with_registry,
)
from retrieval.reading.dates import periods_in
from retrieval.services import Services

REPO = Path(__file__).resolve().parents[2]
LABELLED = REPO / "tests" / "data" / "membership_sentences.jsonl"
A, ILRS = "artemis_accords", "ilrs"


@pytest.fixture(scope="module")
def news(starter_services: Services) -> MembershipNews:
    return starter_services.membership_news()


def events(
    news: MembershipNews, text: str, published: str, coalition: str | None = None
) -> list[MembershipEvent]:
    return news.in_sentence(text, dt.date.fromisoformat(published), context_coalition=coalition)


def test_a_signing_is_read_with_its_member_coalition_date_ordinal_and_sentence(news: MembershipNews) -> None:
    [event] = events(
        news, "Norway became the 55th signatory of the Artemis Accords on 15 May 2025.", "2025-05-16"
    )
    assert (event.member, event.coalition, event.action) == ("Norway", A, "signed")
    assert (event.date, event.precision, event.ordinal, event.count) == ("2025-05-15", "day", 55, None)
    assert event.sentence.startswith("Norway became") and 0.5 < event.confidence <= 1.0


def test_two_members_share_a_signing_and_the_new_total(news: MembershipNews) -> None:
    found = events(
        news,
        "Panama and Austria both added their names to the Accords on 11 December 2024, taking the number of "
        "signatories to 50.",
        "2024-12-12",
    )
    assert [(e.member, e.action, e.date, e.count) for e in found] == [
        ("Panama", "signed", "2024-12-11", 50),
        ("Austria", "signed", "2024-12-11", 50),
    ]


def test_ordinals_pair_with_their_members_and_a_place_among_a_kind_is_no_ordinal(
    news: MembershipNews,
) -> None:
    pair = events(
        news,
        "Rwanda and Nigeria signed the Artemis Accords on 13 December 2022, as the 22nd and 23rd signatories.",
        "2022-12-14",
    )
    assert [(e.member, e.ordinal) for e in pair] == [("Rwanda", 22), ("Nigeria", 23)]
    [african] = events(
        news,
        "Angola signed the Artemis Accords on 30 November 2023, becoming the third African country to join.",
        "2023-12-01",
    )
    assert african.ordinal is None


def test_one_sentence_can_report_both_coalitions(news: MembershipNews) -> None:
    found = events(
        news,
        "Thailand joined the ILRS on 5 April 2024 and signed the Artemis Accords in Bangkok on 16 December 2024.",
        "2024-12-17",
    )
    assert [e.key for e in found] == [
        ("Thailand", ILRS, "joined", "2024-04-05", "day"),
        ("Thailand", A, "signed", "2024-12-16", "day"),
    ]


@pytest.mark.parametrize(
    ("text", "published", "key"),
    [
        (
            "Latvia's government announced on 31 October 2025 that the country would join the Artemis Accords.",
            "2025-10-31",
            ("Latvia", A, "announced", "2025-10-31", "day"),
        ),
        (
            "Mexico's signing of the Artemis Accords was announced on 9 December 2021.",
            "2021-12-11",
            ("Mexico", A, "announced", "2021-12-09", "day"),
        ),
        (
            "Nicaragua withdrew from the International Lunar Research Station on 2 March 2026.",
            "2026-03-03",
            ("Nicaragua", ILRS, "withdrew", "2026-03-02", "day"),
        ),
    ],
)
def test_announcements_and_withdrawals_are_events_of_their_own(
    news: MembershipNews, text: str, published: str, key: tuple[str, ...]
) -> None:
    assert [e.key for e in events(news, text, published)] == [key]


@pytest.mark.parametrize(
    ("text", "published", "date", "precision"),
    [
        (
            "Bangladesh signed the Accords on Tuesday, becoming the 54th country to do so.",
            "2025-04-10",
            "2025-04-08",
            "day",
        ),
        ("Angola signed the Artemis Accords last Thursday.", "2023-12-04", "2023-11-30", "day"),
        (
            "Nicaragua signed up to the ILRS in Wuhan yesterday, as the tenth country.",
            "2024-04-25",
            "2024-04-24",
            "day",
        ),
        ("Belarus joined the ILRS this week.", "2023-10-26", "2023-10-23", "week"),
        (
            "Denmark signed the Artemis Accords on 13 November, making it the 48th signatory.",
            "2024-11-14",
            "2024-11-13",
            "day",
        ),
        (
            "Serbia joined the Chinese moon base in May 2024 during President Xi's state visit.",
            "2024-05-10",
            "2024-05",
            "month",
        ),
        (
            "Argentina has signed the Artemis Accords, becoming the 28th signatory.",
            "2023-07-27",
            "2023-07-27",
            "published",
        ),
    ],
)
def test_relative_and_implicit_dates_are_read_against_the_publication_date(
    news: MembershipNews, text: str, published: str, date: str, precision: str
) -> None:
    [event] = events(news, text, published)
    assert (event.date, event.precision) == (date, precision)


def test_a_simple_past_with_no_date_stays_undated(news: MembershipNews) -> None:
    [event] = events(news, "Colombia signed the Artemis Accords as the 19th signatory.", "2023-01-01")
    assert (event.date, event.precision, event.ordinal) == ("", "", 19)


@pytest.mark.parametrize(
    ("text", "member", "coalition"),
    [
        (
            "The Thai government signed an ILRS memorandum with CNSA on 5 April 2024.",
            "Thailand",
            ILRS,
        ),  # demonym
        ("The Slovak government signed the Artemis Accords on 30 May 2024.", "Slovakia", A),  # demonym
        ("The UAE signed the Artemis Accords on 13 October 2020.", "United Arab Emirates", A),  # alias
        ("Czechia signed the Artemis Accords on 3 May 2023.", "Czech Republic", A),  # alias
        ("Britain signed the Artemis Accords on 13 October 2020.", "United Kingdom", A),  # alias
        ("Azerbajan joined the ILRS on 3 October 2023.", "Azerbaijan", ILRS),  # misspelling
        ("The Phillipines signed the accords on 27 October 2025.", "Philippines", A),  # misspelling, nickname
        ("Egypt joined China's moon base project on 6 December 2023.", "Egypt", ILRS),  # coalition nickname
        (
            "Kenya's KAIST signed a memorandum with DSEL on 8 April 2024 to join the ILRS.",
            "Kenya Advanced Institute of Science and Technology (KAIST)",
            ILRS,
        ),  # the institute, not Kenya
    ],
)
def test_names_are_resolved_as_the_answerer_resolves_them(
    news: MembershipNews, text: str, member: str, coalition: str
) -> None:
    found = events(news, text, "2025-11-01")
    assert [(e.member, e.coalition) for e in found] == [(member, coalition)]


def test_a_corrected_name_lowers_the_confidence(news: MembershipNews) -> None:
    [typo] = events(news, "Azerbajan joined the ILRS on 3 October 2023.", "2023-10-09")
    [plain] = events(news, "Azerbaijan joined the ILRS on 3 October 2023.", "2023-10-09")
    assert typo.confidence < plain.confidence


@pytest.mark.parametrize(
    "text",
    [
        "Malaysia is considering joining the ILRS, officials said in June 2023.",  # considering
        "Thailand is weighing whether to sign the Artemis Accords as well.",  # considering
        "Italy joined the ILRS seminar in Zhuhai as an observer in September 2021.",  # observer
        "Germany attended the Artemis Accords principals' meeting as an observer.",  # observer
        "Hungary's foreign minister visited NASA headquarters on 22 October 2025.",  # a visit
        "Latvia is expected to sign the Artemis Accords at a formal ceremony.",  # expected
        "Bolivia plans to join the ILRS next year.",  # a plan
        "Norway will sign the Artemis Accords on Thursday, NASA said.",  # future
        "Pakistan re-signed its ILRS agreement with CNSA to add a joint payload.",  # re-signing
        "Egypt and China signed an additional protocol to expand Egypt's role in the ILRS.",  # renewal
        "Counting Latvia, whose accession has only been announced, the Artemis Accords would have 60 signatories.",
        "The Artemis Accords had 59 signatories as of 31 October 2025, with Latvia announced as the 60th.",
        "Hungary was the first new signatory since Senegal, which signed on 24 July 2025.",  # background
        "Romania had already signed the Accords on 1 March 2022.",  # background, past perfect
        "The signing came two weeks after Azerbaijan joined the ILRS on 3 October 2023.",  # background
        "If Latvia signs before the end of the year, the Accords will have 60 signatories.",  # hypothetical
        "Should India join the ILRS as well, it would belong to both coalitions.",  # hypothetical
        "Brazil has not signed any ILRS membership document.",  # denial
        "Germany did not sign the Accords in May 2021.",  # denial
        "Did Argentina sign the Artemis Accords in July 2023?",  # question
        "Ten institutions from Serbia, Switzerland and Panama signed memorandums with DSEL on 5 September 2024.",
        "One website wrongly claimed that Germany signed the Artemis Accords in May 2021.",  # a refuted claim
        "ERR reported that Estonia signed on Monday.",  # another outlet's claim, on its own calendar
        "Japan joined NASA's Artemis programme by agreeing to fly an astronaut.",  # the missions
        "Germany joined many European partners already in the Artemis Accords.",  # others are the object
    ],
)
def test_tricky_negatives_are_not_news(news: MembershipNews, text: str) -> None:
    assert events(news, text, "2025-11-01") == []


def test_a_country_in_neither_coalition_is_read_by_its_common_name_only_where_it_is_news(
    news: MembershipNews,
) -> None:
    [signing] = events(
        news, "Vietnam signed the Artemis Accords on 3 March 2026, becoming the 61st signatory.", "2026-03-04"
    )
    assert (signing.member, signing.coalition, signing.action, signing.date, signing.ordinal) == (
        "Vietnam",
        A,
        "signed",
        "2026-03-03",
        61,
    )
    assert [
        (e.member, e.coalition)
        for e in events(news, "Laos joined the ILRS on 12 January 2026.", "2026-01-13")
    ] == [("Laos", ILRS)]
    for background in (
        "Vietnam is considering joining the Artemis Accords.",
        "Officials from Vietnam attended the ILRS seminar in Hefei.",
        "Vietnam signed a cooperation agreement with China on 3 March 2026.",
    ):
        assert events(news, background, "2026-03-04") == [], background
    registry_only = MembershipNews(news.reader, news.registry, new_members=False)
    assert registry_only.in_sentence("Vietnam signed the Artemis Accords on 3 March 2026.", None) == []


def test_the_articles_coalition_fills_a_sentence_that_names_none_but_only_for_a_plain_joining(
    news: MembershipNews,
) -> None:
    [event] = events(
        news, "Brazil signed on 15 June 2021, the first South American country to do so.", "2021-06-16", A
    )
    assert (event.coalition, event.date) == (A, "2021-06-15")
    assert events(news, "Brazil signed on 15 June 2021.", "2021-06-16") == []  # no coalition anywhere
    assert (
        events(news, "Malaysia signed a satellite data agreement with China in 2023.", "2023-12-01", ILRS)
        == []
    )


def test_an_article_is_read_sentence_by_sentence_with_citable_ids(news: MembershipNews) -> None:
    article = Article(
        doc_id="hungary-57th",
        title="Hungary joins the Artemis Accords",
        body="Hungary signed the Artemis Accords on 22 October 2025, becoming the 57th signatory.\n\n"
        "Hungary was the first new signatory since Senegal, which signed on 24 July 2025.",
        path="hungary.md",
        published="2025-10-22",
        topics=("artemis_accords",),
    )
    assert [s.sentence_id for s in article_sentences(article)] == ["hungary-57th#0", "hungary-57th#1"]
    [event] = news.in_article(article)
    assert (event.member, event.article, event.sentence_id, event.ordinal) == (
        "Hungary",
        "hungary-57th",
        "hungary-57th#0",
        57,
    )


def test_events_are_compared_with_the_registry(news: MembershipNews) -> None:
    def event(member: str, coalition: str, action: str, date: str, precision: str) -> MembershipEvent:
        return MembershipEvent(member, coalition, action, date, precision, None, None, "…")

    comparison = compare_with_registry(
        [
            event("Hungary", A, "signed", "2025-10-22", "day"),  # agrees
            event("Germany", A, "signed", "2021-05", "month"),  # the registry says 14 September 2023
            event("Kazakhstan", A, "signed", "2025-01-01", "day"),  # not an Artemis signatory in the registry
            event("Latvia", A, "announced", "2025-10-31", "day"),  # the announced row
            event("Egypt", ILRS, "joined", "", ""),  # nothing to check
        ],
        news.registry,
    )
    assert [e.member for e in comparison.agreeing] == ["Hungary"]
    assert [(e.member, row.joined) for e, row in comparison.date_disagrees] == [("Germany", "2023-09-14")]
    assert [e.member for e in comparison.not_in_registry] == ["Kazakhstan"]
    assert [e.member for e in comparison.announcements] == ["Latvia"]
    assert [e.member for e in comparison.undated] == ["Egypt"]
    found = {(m.member, m.coalition) for m in comparison.found}
    assert found == {("Hungary", A), ("Latvia", A)} and len(comparison.missed) == comparison.rows - 2


def test_periods_in_reads_news_weekdays_from_the_publication_day() -> None:
    wednesday = dt.date(2025, 10, 22)
    [(_, _, same_day)] = periods_in("signed on wednesday", wednesday)
    [(_, _, last)] = periods_in("signed last wednesday", wednesday)
    assert (same_day.start, last.start) == (wednesday, dt.date(2025, 10, 15))


def test_detection_figures_count_an_event_right_only_when_every_field_matches() -> None:
    items = [
        MembershipItem("a", "…", "2025-01-01", (("Norway", A, "signed", "2025-05-15", "day"),)),
        MembershipItem("b", "…", "2025-01-01", ()),
    ]
    answers = {"a": [("Norway", A, "signed", "2025-05-16", "day")], "b": [("Peru", A, "signed", "", "")]}
    figures = detection_figures("tuning", items, lambda item: answers[item.id])
    assert (figures.right, figures.detected, figures.expected, figures.precision, figures.recall) == (
        0,
        2,
        1,
        0.0,
        0.0,
    )
    assert "| tuning | 0.000 | 0.000 | 2 | 1 | 2 |" in detection_table([figures])


def test_the_labelled_set_is_well_formed_and_a_third_is_held_out(news: MembershipNews) -> None:
    items = load_membership_sentences(LABELLED)
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len({i.id for i in items}) == len(items)
    split_once = [i for i in items if i.split in ("tuning", "test")]  # "fresh" came later, never tuned on
    test = [i for i in split_once if i.split == "test"]
    assert len(split_once) >= 60 and abs(len(test) - len(split_once) / 3) <= 1
    names = set(news.registry.names())
    for row in rows:
        for e in row["events"]:
            assert e["member"] in names and e["coalition"] in COALITIONS
            assert e["action"] in ACTIONS and e["precision"] in (*PRECISIONS, "")
        if row["events"] and not row.get("synthetic"):  # real facts: the registry agrees
            for e in row["events"]:
                if e["action"] != "withdrew":
                    assert any(m.coalition == e["coalition"] for m in news.registry.member(e["member"]))
