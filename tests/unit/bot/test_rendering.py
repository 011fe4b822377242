"""Rendering and splitting for Discord: pure functions, table-driven."""

from __future__ import annotations

import pytest

from bot.rendering import (
    EMBED_DESCRIPTION_LIMIT,
    MAX_SOURCES_SHOWN,
    member_pages,
    render_answer,
    source_line,
    sources_block,
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
    ("args", "line"),
    [
        (
            (1, "Title", "NASA", "2024-01-02", "https://e.org/a"),
            "[1] Title — NASA, 2024-01-02 <https://e.org/a>",
        ),
        ((2, "Title", "", "2024-01-02", "https://e.org/a"), "[2] Title — 2024-01-02 <https://e.org/a>"),
        ((3, "Title", "", "", ""), "[3] Title"),
    ],
)
def test_source_line_uses_angle_brackets_to_suppress_previews(args: tuple, line: str) -> None:
    assert source_line(*args) == line


def test_titles_outlets_and_links_from_articles_are_shown_as_plain_text() -> None:
    line = source_line(
        1,
        "Ruritania joins [2] [see this NASA page](https://evil.example/t) **now** @everyone",
        "Evil_Wire <@&123456789012345678> @here",
        "2026-03-04",
        "https://example.org/r> [x](https://evil.example)",
    )
    assert line == (
        "[1] Ruritania joins see this NASA page now @\u200beveryone — Evil\\_Wire @\u200bhere, 2026-03-04 "
        "<https://example.org/r%3E%20%5Bx%5D(https://evil.example)>"
    )


def _citations(n: int) -> list[Citation]:
    return [
        Citation(i, f"d{i}", f"T{i}", "O", "2024-01-01", f"https://e.org/{i}", "p") for i in range(1, n + 1)
    ]


def test_sources_block_is_capped_and_refusals_say_closest() -> None:
    block = sources_block(Answer("q", "a [1].", _citations(12)))
    assert block.startswith("**Sources**") and f"… and {12 - MAX_SOURCES_SHOWN} more" in block
    assert block.count("\n[") == MAX_SOURCES_SHOWN
    refusal = sources_block(Answer("q", "no", _citations(2), refused=True))
    assert refusal.startswith("**Closest sources**")


def test_render_answer_uses_an_embed_when_it_fits_and_plain_parts_otherwise() -> None:
    short = render_answer(Answer("q", "Egypt joined on 6 December 2023 [1].", _citations(1)))
    assert short.embed_description and short.messages == [] and "**Sources**" in short.embed_description
    long_text = "\n\n".join("Paragraph [1]. " + "word " * 300 for _ in range(4))
    long = render_answer(Answer("q", long_text, _citations(1)))
    assert long.embed_description is None and len(long.messages) > 1
    assert all(len(m) <= 2000 for m in long.messages) and len(long_text) > EMBED_DESCRIPTION_LIMIT
    assert long.messages[-1].endswith("<https://e.org/1>")


def test_member_pages_repeat_the_count_line_and_number_members() -> None:
    rows = [
        Member("ilrs", f"Country {i}", "country", "2024-01-01", "member", i, "a", ("https://e.org",))
        for i in range(1, 46)
    ]
    listing = MemberList(
        "ilrs",
        rows,
        [
            Member(
                "ilrs",
                "Maybe",
                "country",
                "2023-06",
                "unconfirmed",
                None,
                "a",
                ("https://e.org",),
                "reported only",
            )
        ],
    )
    pages = member_pages(listing)
    assert len(pages) >= 2 and all(p.startswith("**ILRS: 45 member countries") for p in pages)
    assert all(len(p) <= 2000 for p in pages)
    assert (
        "1. Country 1 — 1 January 2024 (#1) <https://e.org>" in pages[0]
        and f"Page 1/{len(pages)}" in pages[0]
    )
    assert "Maybe — June 2023 (*unconfirmed*: reported only) <https://e.org>" in pages[-1]
    body = "\n".join(pages)
    assert all(f"{i}. Country {i} —" in body for i in range(1, 46))
