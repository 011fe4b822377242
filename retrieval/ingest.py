"""Admins grow the corpus: fetch an article by URL (or take a file), save it as Markdown, index it.

Fetching is guarded: http(s) only, a size limit, one deadline for the whole fetch (INGEST_TIMEOUT_SECONDS:
connect, headers and body of every redirect hop), a clear user agent, article content
types only, and no private, loopback, link-local or otherwise internal addresses (checked for every
redirect hop) unless a network is explicitly allowed in the settings.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import http.client
import io
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from retrieval.documents import (
    Article,
    ArticleError,
    SkippedFile,
    parse_article,
    parse_html,
    parse_markdown,
    slugify,
)
from retrieval.errors import RetrievalError
from retrieval.ingested import IngestedArticles, IngestedText, key_suffix

log = logging.getLogger(__name__)

USER_AGENT = "coalition-bot/0.1 (article ingestion for a Discord Q&A bot)"
ARTICLE_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "application/pdf": "pdf",
}
FILE_TYPES = {".html": "html", ".htm": "html", ".txt": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf"}
MAX_REDIRECTS = 5
_UNSAFE_IN_LINK = re.compile(r"[\s<>\"'`|\\]")  # what a saved link may not hold (see documents._LINK)


class IngestError(RetrievalError):
    """A URL or file that cannot be ingested, with the specific reason."""


@dataclass(frozen=True)
class Fetched:
    """A fetched page: where it ended up, what it is, its bytes."""

    url: str
    kind: str
    body: bytes


@dataclass(frozen=True)
class IngestResult:
    """What was saved and indexed."""

    doc_id: str
    title: str
    published: str
    outlet: str
    url: str
    path: Path
    chunks: int
    updated: bool
    skipped: tuple[SkippedFile, ...] = ()  # other corpus files the reindex that followed could not use
    proposed: int = 0  # new members registry proposals read from it (see `registry pending`)
    auto_approved: int = 0  # news read from it and approved without an admin (auto-approval is on)


def check_address(host: str, allowed: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> None:
    """Refuse hosts that resolve to internal addresses (unless inside an allowed network)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise IngestError(f"cannot reach {host}: the name does not resolve") from None
    except (UnicodeError, ValueError):
        raise IngestError(f"not a valid host name: {host[:80]!r}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if any(address in net for net in allowed):
            continue
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_reserved
            or address.is_multicast
            or address.is_unspecified
        ):
            raise IngestError(f"refusing {host}: it resolves to an internal address ({address})")


class _Deadline:
    """One fetch's whole time budget: every hop's connect, request, headers and body.

    A socket timeout bounds each read, so a server trickling a byte a second could stretch a fetch
    without end; a watchdog timer shuts the connection's socket when the budget runs out instead."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url = url
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False

    def error(self) -> IngestError:
        return IngestError(
            f"{self.url} took longer than {self.seconds:g} s to fetch (INGEST_TIMEOUT_SECONDS), so it was stopped"
        )

    def remaining(self) -> float:
        """Seconds left, or the timeout error when none are."""
        left = self.ends - time.monotonic()
        if left <= 0 or self.expired:
            self.expired = True
            raise self.error()
        return left

    @contextlib.contextmanager
    def watching(self, sock: socket.socket) -> Iterator[None]:
        """Shut this connected socket if the budget runs out while it is in use."""
        timer = threading.Timer(self.remaining(), self._expire, args=(sock,))
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()

    def _expire(self, sock: socket.socket) -> None:
        self.expired = True
        with contextlib.suppress(OSError):  # already closed
            # the plain socket's shutdown, under any TLS layer: it wakes a read blocked in another thread
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def fetch(url: str, *, max_bytes: int, timeout: float, allowed_networks: list[str] | None = None) -> Fetched:
    """GET an article with the guards above, following up to MAX_REDIRECTS redirects by hand, all within
    `timeout` seconds (name resolution aside: the system resolver bounds it)."""
    allowed = [ipaddress.ip_network(n, strict=False) for n in (allowed_networks or [])]
    url = url.strip()
    deadline = _Deadline(url[:200], timeout)
    for _ in range(MAX_REDIRECTS + 1):
        try:
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            raise IngestError(f"not a valid link: {url[:100]!r}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise IngestError(f"only http and https links can be ingested, not {url[:100]!r}")
        check_address(parts.hostname, allowed)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(
                parts.hostname, port, timeout=deadline.remaining(), context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(parts.hostname, port, timeout=deadline.remaining())
        path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        try:
            # TCP connect and TLS handshake, each bounded by the time left; then the watchdog takes over
            # (it holds the socket itself: http.client lets go of it once a response says Connection: close)
            conn.connect()
            assert conn.sock is not None
            with deadline.watching(conn.sock):
                conn.request(
                    "GET",
                    path,
                    headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain,*/*;q=0.5"},
                )
                response = conn.getresponse()
                if response.status in (301, 302, 303, 307, 308):
                    location = response.getheader("Location")
                    if not location:
                        raise IngestError(f"{url} redirects nowhere")
                    url = urllib.parse.urljoin(url, location)
                    continue
                if response.status != 200:
                    raise IngestError(f"{url} answered HTTP {response.status}")
                ctype = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
                kind = ARTICLE_TYPES.get(ctype)
                if kind is None:
                    raise IngestError(f"{url} is not an article (content type {ctype or 'unknown'})")
                length = response.getheader("Content-Length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise IngestError(
                        f"{url} is {int(length) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit"
                    )
                body = response.read(max_bytes + 1)
            if deadline.expired:  # the watchdog cut the body short
                raise deadline.error()
            if len(body) > max_bytes:
                raise IngestError(f"{url} is over the {max_bytes / 1e6:.0f} MB limit")
            return Fetched(url, kind, body)
        except (OSError, http.client.HTTPException) as exc:
            if deadline.expired or isinstance(exc, TimeoutError):
                raise deadline.error() from None
            raise IngestError(f"cannot reach {parts.hostname}: {type(exc).__name__}") from None
        finally:
            conn.close()
    raise IngestError(f"{url} redirects more than {MAX_REDIRECTS} times")


def _pdf_text(body: bytes) -> tuple[str, str, str]:
    """A PDF's title, text and date (its metadata's creation date, or '' when it has none)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(body))
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
        title = str(getattr(reader.metadata, "title", None) or "").strip()
    except Exception as exc:  # pypdf raises many types for damaged files
        raise IngestError(f"the PDF cannot be read ({type(exc).__name__})") from None
    try:  # a malformed date in the metadata is no date, not a broken file
        created = getattr(reader.metadata, "creation_date", None)
    except Exception:
        created = None
    return title, text, created.date().isoformat() if isinstance(created, dt.datetime) else ""


def to_article(body: bytes, kind: str, url: str, name: str) -> Article:
    """An Article from fetched or uploaded bytes (Markdown keeps its front matter when it has one).

    Its date comes from the file itself (front matter, a PDF's metadata, an HTML page's own date);
    when the file has none, `published` stays empty and `save` asks for one rather than guessing."""
    path = Path(name)
    if kind == "pdf":
        title, text, created = _pdf_text(body)
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            raise IngestError("no article text could be extracted from the PDF")
        return Article(
            slugify(path.stem),
            title or lines[0][:150],
            text,
            str(path),
            published=created,
            url=url,
            sources=(url,) if url else (),
        )
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    try:
        if kind == "html":
            article = parse_html(text, path)
            return Article(
                article.doc_id,
                article.title,
                article.body,
                str(path),
                article.published,
                article.outlet,
                url or article.url,
                (url,) if url else article.sources,
            )
        if kind == "md" and text.lstrip().startswith("---"):
            return parse_markdown(text, path)
    except ArticleError as exc:
        raise IngestError(str(exc)) from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or len(" ".join(lines[1:])) < 40:
        raise IngestError("no article text could be extracted")
    return Article(
        slugify(path.stem),
        lines[0].lstrip("# ")[:150],
        "\n\n".join(lines[1:]),
        str(path),
        url=url,
        sources=(url,) if url else (),
    )


def document_id(article: Article, key: str) -> str:
    """The same URL (or file name) always gets the same id, so a second ingest updates the first."""
    return f"ingested-{slugify(article.title)[:50].strip('-')}{key_suffix(key)}"


def with_date(article: Article, published: str) -> Article:
    """The article dated `published` (YYYY-MM-DD, YYYY-MM or YYYY, as given by whoever ingests it)."""
    published = published.strip()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", published):
        raise IngestError(f"{published[:40]!r} is not a date; use YYYY-MM-DD")
    try:
        dt.date.fromisoformat((published + "-01-01")[:10] if len(published) < 10 else published)
    except ValueError:
        raise IngestError(f"{published!r} is not a valid date") from None
    return dataclasses.replace(article, published=published)


def save(
    article: Article, store: IngestedArticles, key: str, taken: Callable[[str], str | None] | None = None
) -> tuple[Path, Article, bool]:
    """Write the article as Markdown with front matter into the store (the corpus folder, or also the
    database), replacing an earlier ingest of the same key; returns its file in the corpus folder.

    An earlier ingest keeps its id and its file name (a changed title changes neither). The text is checked
    by the same loader as `index` before anything is written, and written whole or not at all. `taken(doc_id)`
    names another file already indexed under this id, if any: the established article stays. An
    article without a date is refused with a request for one (no date is made up), and one without a
    link is saved without one (no link is made up)."""
    earlier = store.earlier(key)
    path = store.corpus_dir / (earlier.file_name if earlier else f"{document_id(article, key)}.md")
    doc_id = path.stem
    holder = taken(doc_id) if taken else None
    if holder and Path(holder).resolve() != path.resolve() and Path(holder).exists():
        raise IngestError(
            f"id {doc_id!r} is already used by {holder}; the article there stays, this one was not saved"
        )
    published = article.published or (earlier.published if earlier else "")
    url = _UNSAFE_IN_LINK.sub(lambda m: urllib.parse.quote(m.group(0), safe=""), article.url or "")
    sources = [
        _UNSAFE_IN_LINK.sub(lambda m: urllib.parse.quote(m.group(0), safe=""), s) for s in article.sources
    ]
    meta: dict[str, object] = {
        "id": doc_id,
        "title": article.title,
        "published": published or "1970-01-01",  # a stand-in only for the loader's check below
        "outlet": article.outlet or urllib.parse.urlsplit(url).hostname or "",
    }
    if url:
        meta["url"] = url
    if sources or url:
        meta["sources"] = sources or [url]
    meta["topics"] = ["ingested"]
    body = re.sub(r"\n{3,}", "\n\n", article.body.strip())
    text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + body + "\n"
    try:
        saved = parse_article(text.encode(), path)  # what index will read back, checked the same way
    except ArticleError as exc:
        raise IngestError(str(exc)) from None
    if not published:  # asked for, never made up (and never written: the stand-in above goes no further)
        raise IngestError(
            "it does not say when it was published (no date in its front matter, metadata or page); "
            "give its date as YYYY-MM-DD (published: in /ingest, --published on the command line)"
        )
    store.keep(IngestedText(doc_id, key, path.name, text, url))
    return path, saved, earlier is not None
