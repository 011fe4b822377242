"""Every shipped article is complete and typed; the corpus covers what the bot must answer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

ARTICLES = sorted((REPO / "corpus" / "articles").glob("*.md"))
KEYS = ("id", "title", "published", "outlet", "url", "sources", "topics")


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", text, re.DOTALL)
    assert match, f"{path.name}: no front matter"
    return yaml.safe_load(match.group(1)), match.group(2)


def test_the_corpus_has_at_least_70_articles() -> None:
    assert len(ARTICLES) >= 70


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_article_front_matter_is_complete_and_typed(path: Path) -> None:
    meta, body = _split(path)
    assert all(meta.get(k) for k in KEYS), f"missing: {[k for k in KEYS if not meta.get(k)]}"
    assert meta["id"] == path.stem
    assert isinstance(meta["published"], dt.date)
    assert dt.date(2016, 1, 1) <= meta["published"] <= dt.date(2026, 11, 25)
    assert isinstance(meta["title"], str) and isinstance(meta["outlet"], str)
    assert isinstance(meta["sources"], list) and meta["sources"]
    assert all(isinstance(s, str) and re.match(r"^https?://\S+$", s) for s in meta["sources"])
    assert meta["url"] == meta["sources"][0]
    assert isinstance(meta["topics"], list) and all(isinstance(t, str) for t in meta["topics"])
    words = len(body.split())
    assert 150 <= words <= 700, f"{words} words"


def test_article_ids_are_unique() -> None:
    ids = [_split(p)[0]["id"] for p in ARTICLES]
    assert len(ids) == len(set(ids))


def test_the_story_that_started_the_project_is_there() -> None:
    meta, body = _split(REPO / "corpus" / "articles" / "ilrs-belarus-joins-2023-10.md")
    assert meta["published"] == dt.date(2023, 10, 26)
    assert "Belarus" in body and "October 2023" in body and "30" in body
