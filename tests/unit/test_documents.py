"""Loading articles: front matter, plain text, HTML, and bad files skipped with specific reasons."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.documents import Article, load_corpus
from retrieval.errors import CorpusNotFound
from tests.helpers import alias_bomb, write_article


def test_markdown_front_matter_is_parsed_into_typed_fields(tmp_path: Path) -> None:
    write_article(
        tmp_path,
        "egypt",
        "Egypt joins",
        "Egypt joined on 6 December 2023.",
        published="2023-12-06",
        outlet="People's Daily",
        topics=["ilrs", "egypt"],
    )
    result = load_corpus(tmp_path)
    assert result.skipped == []
    (article,) = result.articles
    assert article.doc_id == "egypt"
    assert article.title == "Egypt joins"
    assert article.published == "2023-12-06"
    assert article.outlet == "People's Daily"
    assert article.url == "https://example.org/egypt"
    assert article.sources == ("https://example.org/egypt",)
    assert article.topics == ("ilrs", "egypt")
    assert article.body == "Egypt joined on 6 December 2023."


def test_a_summary_says_what_it_summarises_and_an_article_may_have_no_link(tmp_path: Path) -> None:
    (tmp_path / "summary.md").write_text(
        "---\nid: s\ntitle: Egypt joins\npublished: 2023-12-06\noutlet: People's Daily\n"
        "url: https://example.org/egypt\nkind: summary\nsummary_of: People's Daily report of 7 December 2023\n"
        "---\nEgypt joined on 6 December 2023.\n",
        encoding="utf-8",
    )
    (tmp_path / "upload.md").write_text(
        "---\nid: u\ntitle: An uploaded report\npublished: 2026-05-05\n---\nFreedonia joined the ILRS.\n",
        encoding="utf-8",
    )
    result = load_corpus(tmp_path)
    assert result.skipped == []
    summary, upload = sorted(result.articles, key=lambda a: a.doc_id)
    assert (summary.kind, summary.summary_of) == ("summary", "People's Daily report of 7 December 2023")
    assert (upload.kind, upload.url, upload.sources) == ("", "", ())
    plain = Article("s", "Egypt joins", summary.body, "x", "2023-12-06", "People's Daily", summary.url)
    assert summary.content_hash != plain.content_hash  # marking an article a summary reindexes it
    assert plain.content_hash == Article(**{**plain.__dict__, "kind": "", "summary_of": ""}).content_hash


def test_plain_text_uses_first_line_as_title(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text(
        "Serbia joins ILRS\n\nSerbia signed an MoU in May 2024.\n", encoding="utf-8"
    )
    (article,) = load_corpus(tmp_path).articles
    assert (article.doc_id, article.title, article.body) == (
        "note",
        "Serbia joins ILRS",
        "Serbia signed an MoU in May 2024.",
    )


def test_html_main_text_is_extracted_without_navigation(tmp_path: Path) -> None:
    html = """<html><head><title>Nicaragua signs up to ILRS</title>
    <meta property="og:site_name" content="Space Wire"><meta name="date" content="2024-04-24"></head>
    <body><nav><a href="/">Home</a> | <a href="/about">About us</a> | Subscribe now</nav>
    <article><h1>Nicaragua signs up to ILRS</h1>
    <p>Nicaragua became the tenth country to join the International Lunar Research Station on 24 April 2024,
    signing an agreement with CNSA in Wuhan on China's Space Day.</p>
    <p>The Arab Union for Astronomy and Space Sciences and APSCO signed agreements on the same day.</p>
    </article><footer>Copyright Space Wire. All rights reserved.</footer></body></html>"""
    (tmp_path / "nicaragua.html").write_text(html, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert result.skipped == []
    (article,) = result.articles
    assert article.title == "Nicaragua signs up to ILRS"
    assert "tenth country" in article.body
    assert "Subscribe now" not in article.body
    assert "All rights reserved" not in article.body


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("nofm.md", "Just text, no front matter at all.", "no YAML front matter"),
        ("badyaml.md", "---\nid: [unclosed\ntitle: x\n---\nbody\n", "not valid YAML"),
        ("missing.md", "---\nid: x\ntitle: T\n---\nbody text\n", "missing published"),
        (
            "badkind.md",
            "---\nid: x\ntitle: T\npublished: 2024-01-01\nkind: opinion\n---\nbody\n",
            "'kind' must be article or summary, not 'opinion'",
        ),
        (
            "baddate.md",
            "---\nid: x\ntitle: T\npublished: 'soon'\nurl: https://e.org\n---\nbody\n",
            "not a date",
        ),
        (
            "empty-body.md",
            "---\nid: x\ntitle: T\npublished: 2024-01-01\nurl: https://e.org\n---\n\n",
            "body is empty",
        ),
        (
            "badurl.md",
            "---\nid: x\ntitle: T\npublished: 2024-01-01\nurl: ftp://e.org\n---\nbody\n",
            "not an http(s) link",
        ),
        ("empty.md", "", "file is empty"),
        ("image.png", "x", "unsupported file type"),
    ],
)
def test_malformed_file_is_skipped_with_its_specific_reason(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    write_article(tmp_path, "good", "Good", "A fine article about the Artemis Accords.")
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [a.doc_id for a in result.articles] == ["good"]
    assert len(result.skipped) == 1
    assert result.skipped[0].path.endswith(name)
    assert reason in result.skipped[0].error


def test_binary_and_non_utf8_files_are_skipped(tmp_path: Path) -> None:
    write_article(tmp_path, "good", "Good", "A fine article.")
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (tmp_path / "latin1.md").write_bytes("---\nid: l\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    reasons = {Path(s.path).name: s.error for s in load_corpus(tmp_path).skipped}
    assert "binary" in reasons["binary.md"]
    assert "not UTF-8" in reasons["latin1.md"]


def test_symlink_loop_and_duplicate_ids_are_reported(tmp_path: Path) -> None:
    write_article(tmp_path, "dup", "First", "First body.")
    write_article(tmp_path, "dup", "Second", "Second body.", name="zz-copy.md")
    os.symlink(tmp_path / "loop.md", tmp_path / "loop.md")
    result = load_corpus(tmp_path)
    assert [a.title for a in result.articles] == ["First"]
    reasons = {Path(s.path).name: s.error for s in result.skipped}
    assert "duplicate id 'dup'" in reasons["zz-copy.md"]
    assert "cannot read file" in reasons["loop.md"]


def test_missing_corpus_folder_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusNotFound, match="corpus folder not found"):
        load_corpus(tmp_path / "nope")


def test_content_hash_changes_with_body_and_metadata() -> None:
    a = Article("x", "T", "body", "p", "2024-01-01", "O", "https://e.org")
    assert (
        a.content_hash
        == Article("x", "T", "body", "other/path", "2024-01-01", "O", "https://e.org").content_hash
    )
    assert a.content_hash != Article("x", "T", "body!", "p", "2024-01-01", "O", "https://e.org").content_hash
    assert a.content_hash != Article("x", "T", "body", "p", "2024-01-02", "O", "https://e.org").content_hash


def test_a_20_mb_file_is_skipped_as_oversized(tmp_path: Path) -> None:
    write_article(tmp_path, "good", "Good", "A fine article.")
    big = tmp_path / "huge.md"
    with big.open("wb") as fh:
        fh.truncate(20 * 1024 * 1024)  # sparse: 20 MB on paper, nothing on disk
    result = load_corpus(tmp_path)
    assert [a.doc_id for a in result.articles] == ["good"]
    assert [(Path(s.path).name, "over the 5 MB limit" in s.error) for s in result.skipped] == [
        ("huge.md", True)
    ]


def test_a_yaml_alias_bomb_is_skipped_before_it_expands(tmp_path: Path) -> None:
    write_article(tmp_path, "good", "Good", "A fine article about the Artemis Accords.")
    (tmp_path / "bomb.md").write_text(alias_bomb(6), encoding="utf-8")  # 531,441 strings once expanded
    result = load_corpus(tmp_path)
    assert [a.doc_id for a in result.articles] == ["good"]
    assert [(Path(s.path).name, s.error) for s in result.skipped] == [
        ("bomb.md", "front matter uses a YAML anchor (&a); anchors are not allowed")
    ]


_FM = "---\nid: x\n{extra}title: {title}\npublished: 2024-01-01\nurl: https://e.org/x\n---\nbody text\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (_FM.format(extra="", title="&t Just an anchor"), "anchors are not allowed"),
        (_FM.format(extra="", title="*t"), "aliases are not allowed"),
        (_FM.format(extra="<<: {outlet: Merged Wire}\n", title="T"), "merge keys are not allowed"),
        (_FM.format(extra="<<: !!merge {outlet: Merged Wire}\n", title="T"), "merge keys are not allowed"),
        (_FM.format(extra="", title="[Two, Titles]"), "'title' must be a single value, not a list"),
        (_FM.format(extra="", title="{nested: mapping}"), "'title' must be a single value, not a dict"),
        (_FM.format(extra="outlet: [A, B]\n", title="T"), "'outlet' must be a single value, not a list"),
        (
            _FM.format(extra="topics: [[[[deep]]]]\n", title="T"),
            "nests deeper than a mapping of values and lists",
        ),
        (_FM.format(extra="topics: " + "[" * 5000 + "]" * 5000 + "\n", title="T"), "nests deeper"),
        (_FM.format(extra="# padding\n" * 1700, title="T"), "front matter is over the 16 KB limit"),
        (
            _FM.format(extra="", title="T").replace(
                "url: https://e.org/x", "url: https://e.org/x> [x](https://evil.example)"
            ),
            "not an http(s) link",
        ),
    ],
    ids=[
        "anchor",
        "undefined-alias",
        "merge-key",
        "explicit-merge-tag",
        "title-list",
        "title-mapping",
        "outlet-list",
        "deep-nesting",
        "very-deep-nesting",
        "oversized",
        "link-breaking-out-of-brackets",
    ],
)
def test_front_matter_structure_that_could_explode_or_mislead_is_refused(
    tmp_path: Path, content: str, reason: str
) -> None:
    write_article(tmp_path, "good", "Good", "A fine article about the Artemis Accords.")
    (tmp_path / "hostile.md").write_text(content, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [a.doc_id for a in result.articles] == ["good"]
    assert len(result.skipped) == 1 and reason in result.skipped[0].error, result.skipped


def test_a_symlink_leading_outside_the_corpus_is_skipped(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "private"
    write_article(corpus, "good", "Good", "A fine article about the Artemis Accords.")
    secret = write_article(outside, "secret", "Secret", "Text that was never meant to be quoted.")
    os.symlink(secret, corpus / "secret.md")
    # a link inside the corpus is followed (and here refused as a duplicate of the file it points at)
    os.symlink(corpus / "good.md", corpus / "zz-alias.md")
    result = load_corpus(corpus)
    assert [a.doc_id for a in result.articles] == ["good"]
    reasons = {Path(s.path).name: s.error for s in result.skipped}
    assert reasons["secret.md"] == f"symlink leads outside the corpus folder (to {secret})"
    assert reasons["zz-alias.md"].startswith("duplicate id 'good' (already used by")
