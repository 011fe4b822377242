"""/gaps pages: within Discord's embed limits however many groups, members' text shown as plain text, and
long groups saying how much is left out."""

from __future__ import annotations

import datetime as dt

from bot.gaps_cards import gap_pages, group_heading, group_lines
from bot.rendering import EMBED_TOTAL_LIMIT, FIELD_NAME_LIMIT, FIELD_VALUE_LIMIT, FIELDS_PER_EMBED
from retrieval.gaps import ClosestArticle, GapGroup, GapQuestion, GapReport

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
ARTICLE = ClosestArticle("egypt-ilrs", "Egypt joins the ILRS", "https://example.org/egypt-ilrs", "2023-12-06")


def question(text: str, hours_ago: int = 1, *, reasons: tuple[str, ...] = ()) -> GapQuestion:
    return GapQuestion(
        f"{text}-{hours_ago}", text, NOW - dt.timedelta(hours=hours_ago), not reasons, len(reasons), reasons
    )


def test_a_group_shows_its_example_other_wordings_closest_article_and_comments() -> None:
    group = GapGroup(
        "What is the ILRS budget?",
        [question("What is the ILRS budget?"), question("ILRS cost?", 2, reasons=("no figure",))],
        ARTICLE,
    )
    assert group_heading(1, group) == "1 · 2 questions (1 refused, 1 👎)"
    assert group_lines(group) == [
        "“What is the ILRS budget?”",
        "also “ILRS cost?”",
        "Closest article: [Egypt joins the ILRS](https://example.org/egypt-ilrs) · 6 Dec 2023",
        "👎 “no figure”",
    ]


def test_members_text_is_plain_and_a_long_group_says_how_much_more_there_is() -> None:
    hostile = "**bold** <@123> [x](http://evil.example) @everyone"
    wordings = [question(hostile, 0)] + [
        question(f"wording {i}", i, reasons=(f"comment {i}",)) for i in range(1, 6)
    ]
    lines = group_lines(GapGroup(hostile, wordings, None))
    assert lines[0] == "“bold x @\u200beveryone”"  # no ping, no link, no Markdown
    assert lines[1:5] == ["also “wording 1”", "also “wording 2”", "also “wording 3”", "…and 2 more wordings"]
    assert lines[5] == "Closest article: none (nothing is indexed)"
    assert lines[-1] == "…and 2 more comments" and len(lines) == 10


def test_many_long_groups_are_paged_within_discords_limits_in_order() -> None:
    long = "why " * 300
    groups = [
        GapGroup(f"{i} {long}", [question(f"{i} {long}", i, reasons=(long,) * 4)] * (60 - i), ARTICLE)
        for i in range(50)
    ]
    report = GapReport(
        days=30, since=NOW - dt.timedelta(days=30), groups=groups, questions=1000, more_groups=7
    )
    pages = gap_pages(report)
    assert len(pages) > 1
    for page in pages:
        assert page.size() <= EMBED_TOTAL_LIMIT and len(page.fields) <= FIELDS_PER_EMBED
        assert all(len(n) <= FIELD_NAME_LIMIT and len(v) <= FIELD_VALUE_LIMIT for n, v in page.fields)
        assert page.title == "Coverage gaps · the last 30 days"
    headings = [n for page in pages for n, _ in page.fields if "(continued)" not in n]
    assert headings == [group_heading(i + 1, g) for i, g in enumerate(groups)]
    assert "Showing the 50 largest; 7 smaller left out." in pages[0].description
    assert pages[-1].footer == f"Page {len(pages)} of {len(pages)}"


def test_a_period_without_gaps_is_one_page_saying_so() -> None:
    [page] = gap_pages(GapReport(days=1, since=NOW - dt.timedelta(days=1)))
    assert page.title == "Coverage gaps · the last day"
    assert (
        page.description
        == f"No questions were refused or voted 👎 since <t:{int(NOW.timestamp()) - 86400}:f>."
    )
