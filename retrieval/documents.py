"""Load articles from the corpus folder: Markdown with YAML front matter, plain text and HTML.

A file that cannot be read or parsed is skipped and reported with its path and a specific reason;
the rest load normally.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from retrieval.errors import CorpusNotFound, CorpusUnreadable

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm"}
MAX_FILE_BYTES = 5 * 1024 * 1024
REQUIRED_FRONT_MATTER = ("id", "title", "published")
# What an article is: a news report as published (the default), or a summary written for this corpus from
# the report it cites (`summary_of` says which); citations then say so instead of naming the outlet as author.
KINDS = ("article", "summary")
# Front matter: a '---' line, YAML (at most MAX_FRONT_MATTER_CHARS of it), a '---' line.
_FRONT_MATTER_START = re.compile(r"\A---[ \t]*\r?\n")
_FRONT_MATTER_END = re.compile(r"(?<=\n)---[ \t]*(?:\r?\n|\Z)")
MAX_FRONT_MATTER_CHARS = 16 * 1024
MAX_FRONT_MATTER_DEPTH = 2  # a mapping whose values may be lists of values
MERGE_TAG = "tag:yaml.org,2002:merge"
NO_FRONT_MATTER = "no YAML front matter (the file must start with a '---' line and close it with '---')"
_ID_SAFE = re.compile(r"[^a-z0-9]+")
# An http(s) link with nothing that could close the <…> it is shown in or start Markdown.
_LINK = re.compile(r"https?://[^\s<>\"'`|\\]{1,2000}\Z")


@dataclass(frozen=True)
class Article:
    """One article as loaded from disk."""

    doc_id: str
    title: str
    body: str
    path: str
    published: str = ""
    outlet: str = ""
    url: str = ""
    sources: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    kind: str = ""  # "" or "article": a report as published; "summary": written from the report it cites
    summary_of: str = ""  # for a summary: what it summarises, e.g. "NASA's release of 13 October 2020"

    @property
    def content_hash(self) -> str:
        """A hash of everything that affects the indexed chunks and their metadata."""
        h = hashlib.sha256()
        parts = [
            self.doc_id,
            self.title,
            self.published,
            self.outlet,
            self.url,
            self.body,
            "\x1f".join(self.sources),
            "\x1f".join(self.topics),
        ]
        if self.kind or self.summary_of:  # only then, so articles without them keep their hash
            parts += [self.kind, self.summary_of]
        for part in parts:
            h.update(part.encode("utf-8"))
            h.update(b"\x1e")
        return h.hexdigest()


@dataclass(frozen=True)
class SkippedFile:
    """A file that was not indexed, and why."""

    path: str
    error: str


@dataclass
class LoadResult:
    """Articles that loaded, and files that did not."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)


class ArticleError(ValueError):
    """A specific reason why one file cannot be used as an article."""


def slugify(text: str) -> str:
    """Lower-case, dash-separated id from free text."""
    return _ID_SAFE.sub("-", text.lower()).strip("-")[:80] or "article"


def _as_date(value: object, path: Path) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        for fmt, length in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
            try:
                dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            if len(text) == length:
                return text
    raise ArticleError(f"front matter 'published' is not a date (YYYY-MM-DD): {value!r}")


def _as_str_list(value: object, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return tuple(str(v) for v in value)
    raise ArticleError(f"front matter '{key}' must be a list of strings")


def _as_scalar(meta: dict[str, object], key: str) -> str:
    """A single value as text; a list or mapping where one value is expected is refused, never stringified."""
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
        raise ArticleError(f"front matter '{key}' must be a single value, not a {type(value).__name__}")
    return str(value).strip()


# libyaml's safe loader when PyYAML was built with it (the wheels are): the same events and values as the
# pure-Python SafeLoader, about ten times faster, which a no-op reindex reading every article needs.
# Front matter it refuses is read again by the pure-Python parser, whose messages the errors give.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_front_matter(source: str) -> object:
    """The front matter's value, its structure checked first (libyaml, then Python for a refusal)."""
    try:
        _check_front_matter_events(source, _FAST_LOADER)
        return yaml.load(source, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
    except (ArticleError, yaml.YAMLError):
        pass
    _check_front_matter_events(source, yaml.SafeLoader)
    return yaml.safe_load(source)


def _check_front_matter_events(text: str, loader: Any = yaml.SafeLoader) -> None:
    """Refuse YAML whose structure could grow when built: anchors, aliases, merge keys, deep nesting.

    Runs over the parser's events, before any node or object is built, so an alias bomb (a few hundred
    bytes that expand to gigabytes once its aliases are followed) costs no more than its own size.
    """
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise ArticleError(f"front matter uses a YAML alias (*{event.anchor}); aliases are not allowed")
        if getattr(event, "anchor", None) is not None:
            raise ArticleError(f"front matter uses a YAML anchor (&{event.anchor}); anchors are not allowed")
        if isinstance(event, yaml.ScalarEvent) and (
            event.tag in (MERGE_TAG, "!!merge")
            or (event.value == "<<" and not event.style)  # plain: None or ''
        ):
            raise ArticleError("front matter uses a YAML merge key (<<); merge keys are not allowed")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_FRONT_MATTER_DEPTH:
                raise ArticleError("front matter nests deeper than a mapping of values and lists")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def parse_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Split a Markdown file into its front matter (a flat mapping, checked before it is built) and body.

    The same parser reads corpus files, uploaded files and fetched pages.
    """
    match = _FRONT_MATTER_START.match(text)
    if not match:
        raise ArticleError(NO_FRONT_MATTER)
    close = _FRONT_MATTER_END.search(text, match.end())
    if close is None:
        raise ArticleError(NO_FRONT_MATTER)
    if close.start() - match.end() > MAX_FRONT_MATTER_CHARS:
        raise ArticleError(f"front matter is over the {MAX_FRONT_MATTER_CHARS // 1024} KB limit")
    source = text[match.end() : close.start()]
    try:
        meta = _load_front_matter(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ArticleError(f"front matter is not valid YAML{where}") from None
    if not isinstance(meta, dict) or not all(isinstance(k, str) for k in meta):
        raise ArticleError("front matter must be a YAML mapping of keys to values")
    return meta, text[close.end() :]


def parse_markdown(text: str, path: Path) -> Article:
    """Parse Markdown with YAML front matter into an Article."""
    meta, body = parse_front_matter(text)
    fields = {
        key: _as_scalar(meta, key) for key in (*REQUIRED_FRONT_MATTER, "url", "outlet", "kind", "summary_of")
    }
    missing = [key for key in REQUIRED_FRONT_MATTER if not fields[key]]
    if missing:
        raise ArticleError(f"front matter is missing {', '.join(missing)}")
    body = body.strip()
    if not body:
        raise ArticleError("article body is empty")
    if fields["kind"] and fields["kind"] not in KINDS:
        raise ArticleError(f"front matter 'kind' must be {' or '.join(KINDS)}, not {fields['kind'][:40]!r}")
    sources = _as_str_list(meta.get("sources"), "sources")
    url = fields["url"]  # optional: an uploaded file may have no link, and then none is shown
    for link in (url, *sources) if url else sources:
        if not _LINK.match(link):
            raise ArticleError(f"not an http(s) link: {link[:200]!r}")
    return Article(
        doc_id=fields["id"],
        title=fields["title"],
        body=body,
        path=str(path),
        published=_as_date(meta["published"], path),
        outlet=fields["outlet"],
        url=url,
        sources=sources or ((url,) if url else ()),
        topics=_as_str_list(meta.get("topics"), "topics"),
        kind="" if fields["kind"] == "article" else fields["kind"],
        summary_of=fields["summary_of"],
    )


def parse_plain_text(text: str, path: Path) -> Article:
    """A .txt file: the first non-empty line is the title, the rest the body."""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ArticleError("file is empty")
    title = lines[0].strip().lstrip("# ").strip()
    body = "\n".join(lines[1:]).strip()
    if not body:
        raise ArticleError("no text after the title line")
    return Article(doc_id=slugify(path.stem), title=title, body=body, path=str(path))


def parse_html(text: str, path: Path) -> Article:
    """Extract an HTML page's main text and metadata with trafilatura."""
    import trafilatura  # imported lazily: it is only needed for HTML

    extracted = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    if extracted is None:
        raise ArticleError("no article text could be extracted from the HTML")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = (data.get("text") or "").strip()
    if len(body) < 40:
        raise ArticleError("no article text could be extracted from the HTML")
    url = (data.get("url") or "").strip()
    published = ""
    if data.get("date"):
        try:
            published = _as_date(str(data["date"])[:10], path)
        except ArticleError:
            published = ""
    return Article(
        doc_id=slugify(path.stem),
        title=(data.get("title") or path.stem).strip(),
        body=body,
        path=str(path),
        published=published,
        outlet=(data.get("sitename") or "").strip(),
        url=url if url.startswith(("http://", "https://")) else "",
        sources=(url,) if url.startswith(("http://", "https://")) else (),
    )


_PARSERS = {
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".txt": parse_plain_text,
    ".html": parse_html,
    ".htm": parse_html,
}


def _size_check(size: int) -> None:
    if size == 0:
        raise ArticleError("file is empty")
    if size > MAX_FILE_BYTES:
        raise ArticleError(
            f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit"
        )


def decode_text(raw: bytes) -> str:
    """A file's bytes as UTF-8 text, refusing empty, oversized, binary and undecodable content."""
    _size_check(len(raw))
    if b"\x00" in raw[:8192]:
        raise ArticleError("file is binary, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"file is not UTF-8 text (invalid byte at position {exc.start})") from None


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, refusing binary, oversized and undecodable files (an oversized one unread)."""
    _size_check(path.stat().st_size)
    return decode_text(path.read_bytes())


def _parser(path: Path) -> Callable[[str, Path], Article]:
    parser = _PARSERS.get(path.suffix.lower())
    if parser is None:
        raise ArticleError(f"unsupported file type {path.suffix!r}")
    return parser


def load_article(path: Path) -> Article:
    """Load one file as an Article, or raise ArticleError with a specific reason."""
    return _parser(path)(read_text(path), path)


def parse_article(raw: bytes, path: Path) -> Article:
    """The Article that `path` would load as if it held `raw`: the same checks as indexing a corpus file,
    so a file is refused before it is saved rather than skipped by every index after."""
    return _parser(path)(decode_text(raw), path)


def _unreadable(exc: OSError) -> None:
    # os.walk skips a folder it cannot list: the index would then delete every article in it
    raise CorpusUnreadable(
        f"cannot read the corpus folder {exc.filename} ({exc.strerror}); make it readable for this user "
        "(the index was not changed)"
    )


def iter_corpus_files(corpus_dir: Path) -> Iterable[Path]:
    """Files under the corpus folder in a stable order, not following symlinked folders; a folder that
    cannot be listed raises CorpusUnreadable."""
    for root, dirs, files in os.walk(corpus_dir, onerror=_unreadable, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _outside(path: Path, root: Path) -> Path | None:
    """Where a symlink leads when that is outside the corpus folder (its articles would be quoted too)."""
    if not path.is_symlink():
        return None
    target = Path(os.path.realpath(path))
    return None if target.is_relative_to(root) else target


def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def load_corpus(corpus_dir: Path, established: Mapping[str, str] | None = None) -> LoadResult:
    """Load every supported article under corpus_dir; report the files that cannot be used.

    `established` maps the ids already indexed to the files they came from: when a new file reuses
    one of those ids, the established article stays and the newcomer is reported. (Between files
    that are both new, the first in path order wins.)"""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusNotFound(f"corpus folder not found: {corpus_dir}")
    root = Path(os.path.realpath(corpus_dir))
    result = LoadResult()
    loaded: dict[str, list[Article]] = {}
    for path in iter_corpus_files(corpus_dir):
        rel = str(path)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            if path.suffix.lower() not in {".csv", ".yaml", ".yml", ".json"}:
                result.skipped.append(SkippedFile(rel, f"unsupported file type {path.suffix or '(none)'!r}"))
            continue
        target = _outside(path, root)
        if target is not None:
            result.skipped.append(SkippedFile(rel, f"symlink leads outside the corpus folder (to {target})"))
            continue
        try:
            article = load_article(path)
        except ArticleError as exc:
            result.skipped.append(SkippedFile(rel, str(exc)))
            continue
        except OSError as exc:
            result.skipped.append(SkippedFile(rel, f"cannot read file: {exc.strerror or exc}"))
            continue
        loaded.setdefault(article.doc_id, []).append(article)
    keep: dict[str, Article] = {}
    for doc_id, claimants in loaded.items():
        holder = (established or {}).get(doc_id)
        keep[doc_id] = next((a for a in claimants if holder and _same_file(a.path, holder)), claimants[0])
    for article in (a for claimants in loaded.values() for a in claimants):
        kept = keep[article.doc_id]
        if article is kept:
            result.articles.append(article)
        else:
            result.skipped.append(
                SkippedFile(article.path, f"duplicate id {article.doc_id!r} (already used by {kept.path})")
            )
    for skipped in result.skipped:
        log.warning("Skipped %s: %s", skipped.path, skipped.error)
    return result
