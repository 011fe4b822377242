"""Ingestion by URL and by file, with the fetch guards, against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.errors import IndexBusy
from retrieval.ingest import IngestError
from retrieval.services import Services
from tests.conftest import CatalogBackend
from tests.helpers import (
    alias_bomb,
    free_port,
    make_settings,
    serve_http,
    serve_trickle,
    write_article,
    write_sample_corpus,
)
from tests.postgres_server import PostgresServer

ARTICLE = b"""<html><head><title>Mars Colony League gains a member</title>
<meta property="og:site_name" content="Local Wire"><meta name="date" content="2026-03-04"></head>
<body><nav>Home | About | Subscribe</nav><article><h1>Mars Colony League gains a member</h1>
<p>Ruritania joined the International Lunar Research Station on 4 March 2026, signing a memorandum with CNSA
in Beijing, officials said.</p><p>The agreement covers shared data from lunar landers and training for
Ruritanian engineers over the next five years.</p></article><footer>All rights reserved</footer></body></html>"""

ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/article.html": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
    "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    "/empty.html": (200, {"Content-Type": "text/html"}, b"<html><body><nav>Menu</nav></body></html>"),
    "/big.html": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 3_000_000 + b"</p>"),
    "/redirect-private": (302, {"Location": "http://10.255.255.1/secret"}, b""),
    "/redirect-ok": (302, {"Location": "/article.html"}, b""),
    "/missing": (404, {"Content-Type": "text/html"}, b"not found"),
}


@pytest.fixture
def site() -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving ROUTES; yields its base URL."""
    with serve_http(ROUTES, stream={"/big.html"}) as base:
        yield base


def _services(
    tmp_path: Path, allow_loopback: bool = True, backend: CatalogBackend | None = None, **extra: object
) -> Services:
    """Services on the sample corpus, indexed; with a PostgreSQL backend, ingested articles live there too."""
    corpus = write_sample_corpus(tmp_path / "corpus")
    svc = Services(
        (backend or CatalogBackend("sqlite")).settings(
            tmp_path,
            corpus=corpus,
            ingest_max_bytes=1_000_000,
            ingest_allowed_networks=["127.0.0.0/8"] if allow_loopback else [],
            **extra,
        )
    )
    svc.reindex()
    return svc


@pytest.mark.both_catalogs
def test_ingest_by_url_saves_markdown_and_indexes_it(
    tmp_path: Path, catalog_backend: CatalogBackend, site: str
) -> None:
    svc = _services(tmp_path, backend=catalog_backend)
    result = svc.ingest(url=f"{site}/article.html")
    assert not result.updated and result.chunks >= 1 and result.title == "Mars Colony League gains a member"
    assert result.published == "2026-03-04" and result.url == f"{site}/article.html"
    text = result.path.read_text()
    assert text.startswith("---\nid: ingested-") and "Subscribe" not in text and "4 March 2026" in text
    hits = svc.searcher.search("Ruritania memorandum lunar landers").passages
    assert hits[0].doc_id == result.doc_id


@pytest.mark.both_catalogs
def test_the_same_url_twice_updates_and_never_duplicates(
    tmp_path: Path, catalog_backend: CatalogBackend, site: str
) -> None:
    svc = _services(tmp_path, backend=catalog_backend)
    first = svc.ingest(url=f"{site}/article.html")
    second = svc.ingest(url=f"{site}/article.html")
    assert second.updated and second.doc_id == first.doc_id
    assert len(list((tmp_path / "corpus").glob("ingested-*.md"))) == 1
    assert svc.catalog.counts()[0] == 5  # four sample articles and this one


def test_a_redirect_is_followed_and_rechecked(tmp_path: Path, site: str) -> None:
    svc = _services(tmp_path)
    assert svc.ingest(url=f"{site}/redirect-ok").title == "Mars Colony League gains a member"
    with pytest.raises(IngestError, match=r"refusing 10\.255\.255\.1: it resolves to an internal address"):
        svc.ingest(url=f"{site}/redirect-private")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/image.png", "is not an article (content type image/png)"),
        ("/empty.html", "no article text could be extracted"),
        ("/big.html", "over the 1 MB limit"),
        ("/missing", "answered HTTP 404"),
    ],
)
def test_bad_pages_are_refused_with_a_specific_reason(
    tmp_path: Path, site: str, path: str, message: str
) -> None:
    svc = _services(tmp_path)
    with pytest.raises(IngestError, match=re.escape(message)):
        svc.ingest(url=f"{site}{path}")
    assert not list((tmp_path / "corpus").glob("ingested-*"))


def test_loopback_is_refused_unless_allowed(tmp_path: Path, site: str) -> None:
    svc = _services(tmp_path, allow_loopback=False)
    with pytest.raises(IngestError, match=r"internal address \(127\.0\.0\.1\)"):
        svc.ingest(url=f"{site}/article.html")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/a.html", "only http and https links"),
        ("file:///etc/passwd", "only http and https links"),
        ("http://169.254.169.254/latest/meta-data", "internal address"),
        ("http://[::1]/", "internal address"),
        ("http://no-such-host.invalid/", "does not resolve"),
    ],
)
def test_unsafe_or_unreachable_links_are_refused(tmp_path: Path, url: str, message: str) -> None:
    svc = _services(tmp_path, allow_loopback=False)
    with pytest.raises(IngestError, match=message):
        svc.ingest(url=url)


def test_an_unreachable_allowed_host_is_reported(tmp_path: Path) -> None:
    svc = _services(tmp_path)
    with pytest.raises(IngestError, match="cannot reach 127.0.0.1"):
        svc.ingest(url=f"http://127.0.0.1:{free_port()}/gone.html")


def _pdf(text: str, created: str = "") -> bytes:
    """A one-page PDF whose page shows `text` (enough for pypdf's text extraction), with a creation date
    (PDF form, e.g. 'D:20260505120000Z') in its metadata when one is given."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /CreationDate (%s) >>" % created.encode(),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


@pytest.mark.both_catalogs
@pytest.mark.parametrize(
    ("filename", "data", "published", "expected"),
    [
        (
            "note.txt",
            b"Freedonia joins the ILRS\n\nFreedonia joined the ILRS on 5 May 2026 with an MoU.",
            "2026-05-06",
            "5 May 2026",
        ),
        (
            "story.md",
            b"# Freedonia joins the ILRS\n\nFreedonia joined the ILRS on 5 May 2026 with an MoU signed.",
            "2026-05-06",
            "5 May 2026",
        ),
        (
            "report.pdf",
            _pdf(
                "Freedonia joined the ILRS on 5 May 2026 with an MoU signed in Beijing.", "D:20260506093000Z"
            ),
            "",  # the PDF's metadata says when it was made
            "5 May 2026",
        ),
        (
            "dated.md",
            b"---\nid: dated\ntitle: Freedonia joins the ILRS\npublished: 2026-05-06\n---\n"
            b"Freedonia joined the ILRS on 5 May 2026 with an MoU signed.",
            "",  # front matter
            "5 May 2026",
        ),
    ],
)
def test_ingest_a_file_dated_by_the_file_or_the_admin(
    tmp_path: Path, catalog_backend: CatalogBackend, filename: str, data: bytes, published: str, expected: str
) -> None:
    svc = _services(tmp_path, backend=catalog_backend)
    result = svc.ingest(
        data=data, filename=filename, source_url="https://example.org/freedonia", published=published
    )
    assert result.chunks >= 1 and expected in result.path.read_text()
    assert result.published == "2026-05-06"
    assert svc.searcher.search("Freedonia MoU").passages[0].doc_id == result.doc_id


@pytest.mark.both_catalogs
@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("note.txt", b"Freedonia joins the ILRS\n\nFreedonia joined the ILRS on 5 May 2026 with an MoU."),
        ("report.pdf", _pdf("Freedonia joined the ILRS on 5 May 2026 with an MoU signed in Beijing.")),
    ],
)
def test_a_file_without_a_date_is_asked_for_one_and_one_without_a_link_shows_none(
    tmp_path: Path, catalog_backend: CatalogBackend, filename: str, data: bytes
) -> None:
    svc = _services(tmp_path, backend=catalog_backend)
    with pytest.raises(IngestError, match=r"does not say when it was published.*give its date as YYYY-MM-DD"):
        svc.ingest(data=data, filename=filename)
    assert not list((tmp_path / "corpus").glob("*ingested-*"))  # nothing saved with a made-up date
    assert not svc.ingested.stored()  # nor in the database
    with pytest.raises(IngestError, match="'last week' is not a date"):
        svc.ingest(data=data, filename=filename, published="last week")
    result = svc.ingest(data=data, filename=filename, published="2026-05-06")
    saved = result.path.read_text()
    assert result.url == "" and "url:" not in saved and "sources:" not in saved and "example" not in saved
    stored = svc.catalog.document(result.doc_id)
    assert stored is not None and (stored.published, stored.url, stored.sources) == ("2026-05-06", "", ())


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "unsupported file type '.exe'"),
        ("huge.txt", b"a" * 1_100_000, "over the 1 MB limit"),
        ("broken.pdf", b"%PDF-1.4 not really", "the PDF cannot be read|no article text"),
    ],
)
def test_bad_files_are_refused(tmp_path: Path, filename: str, data: bytes, message: str) -> None:
    svc = _services(tmp_path)
    with pytest.raises(IngestError, match=message):
        svc.ingest(data=data, filename=filename)


@pytest.mark.both_catalogs
def test_a_refresh_of_unchanged_pages_embeds_nothing_and_reports_failures(
    tmp_path: Path, catalog_backend: CatalogBackend, site: str
) -> None:
    svc = _services(tmp_path, backend=catalog_backend)
    first, errors = svc.refresh([f"{site}/article.html", f"{site}/image.png"])
    assert first.chunks_embedded > 0 and list(errors) == [f"{site}/image.png"]
    assert "not an article" in errors[f"{site}/image.png"]
    again, _ = svc.refresh([f"{site}/article.html"])
    assert again.chunks_embedded == 0 and len(again.added) == 0


@pytest.mark.both_catalogs
def test_an_alias_bomb_is_refused_by_ingest_as_an_upload_and_as_a_fetched_page(
    tmp_path: Path, catalog_backend: CatalogBackend
) -> None:
    svc = _services(tmp_path, backend=catalog_backend)
    bomb = alias_bomb(6).encode()  # 531,441 strings once expanded; a few hundred bytes as sent
    with pytest.raises(IngestError, match=r"front matter uses a YAML anchor \(&a\); anchors are not allowed"):
        svc.ingest(data=bomb, filename="bomb.md")
    with (
        serve_http({"/bomb.md": (200, {"Content-Type": "text/markdown"}, bomb)}) as base,
        pytest.raises(IngestError, match="anchors are not allowed"),
    ):
        svc.ingest(url=f"{base}/bomb.md")
    assert not list((tmp_path / "corpus").glob("ingested-*")) and svc.catalog.counts()[0] == 4
    assert not svc.ingested.stored()


@pytest.mark.parametrize("stage", ["headers", "body"])
def test_a_trickling_page_is_stopped_at_the_fetch_deadline(tmp_path: Path, stage: str) -> None:
    svc = _services(tmp_path, ingest_timeout_seconds=2)
    # a byte every 0.25 s: each read is well within 2 s, the whole page would take 6 to 40 s
    with serve_trickle(stage, interval=0.25) as (base, accepted, progress):
        with pytest.raises(IngestError, match=r"took longer than 2 s to fetch \(INGEST_TIMEOUT_SECONDS\)"):
            svc.ingest(url=f"{base}/slow.html")
        sent = progress["sent"]
    # given up part way (the page was still trickling in), not after reading it whole
    assert len(accepted) == 1 and 0 < sent < progress["total"]
    assert not list((tmp_path / "corpus").glob("ingested-*"))


@pytest.mark.both_catalogs
def test_a_changed_title_keeps_the_article_id_and_its_file(
    tmp_path: Path, catalog_backend: CatalogBackend
) -> None:
    svc = _services(tmp_path, backend=catalog_backend)
    routes = {"/story.html": (200, {"Content-Type": "text/html"}, ARTICLE)}
    with serve_http(routes) as base:
        first = svc.ingest(url=f"{base}/story.html")
        routes["/story.html"] = (
            200,
            {"Content-Type": "text/html"},
            ARTICLE.replace(b"gains a member", b"grows"),
        )
        second = svc.ingest(url=f"{base}/story.html")
    assert second.updated and (second.doc_id, second.path) == (first.doc_id, first.path)
    assert second.title == "Mars Colony League grows" and f"id: {first.doc_id}" in second.path.read_text()
    assert list((tmp_path / "corpus").glob("ingested-*")) == [first.path]
    assert [
        p.name for p in (tmp_path / "corpus").iterdir() if p.name.startswith(".")
    ] == []  # no temporary file
    stored = svc.catalog.document(first.doc_id)
    assert stored is not None and stored.title == "Mars Colony League grows" and svc.catalog.counts()[0] == 5


@pytest.mark.both_catalogs
def test_a_page_index_would_skip_is_refused_by_ingest_with_the_same_reason(
    tmp_path: Path, catalog_backend: CatalogBackend
) -> None:
    svc = _services(tmp_path, backend=catalog_backend)
    page = b"Freedonia joins the ILRS\n\nFreedonia joined the ILRS on 5 May 2026 \x00 with an MoU signed in Beijing."
    with (
        serve_http({"/nul.txt": (200, {"Content-Type": "text/plain"}, page)}) as base,
        pytest.raises(IngestError, match=r"^file is binary, not text$"),
    ):
        svc.ingest(url=f"{base}/nul.txt")
    with pytest.raises(IngestError, match=r"^file is binary, not text$"):
        svc.ingest(data=page, filename="nul.txt")
    assert not list((tmp_path / "corpus").glob("*ingested-*")) and svc.catalog.counts()[0] == 4
    assert not svc.ingested.stored()


@pytest.mark.both_catalogs
def test_an_id_already_used_by_another_file_is_refused_and_that_article_stays(
    tmp_path: Path, catalog_backend: CatalogBackend
) -> None:
    from retrieval.ingest import document_id, to_article

    svc = _services(tmp_path, backend=catalog_backend)
    upload = (
        b"Freedonia joins the ILRS\n\nFreedonia joined the ILRS on 5 May 2026 with an MoU signed in Beijing."
    )
    taken = document_id(to_article(upload, "txt", "", "note.txt"), "file:note.txt")
    handmade = write_article(
        tmp_path / "corpus", taken, "Handmade", "An article an editor wrote by hand.", name="x.md"
    )
    svc.reindex()
    with pytest.raises(
        IngestError, match=rf"id '{taken}' is already used by {handmade}; the article there stays"
    ):
        svc.ingest(data=upload, filename="note.txt")
    stored = svc.catalog.document(taken)
    assert (
        stored is not None
        and stored.title == "Handmade"
        and not list((tmp_path / "corpus").glob("ingested-*"))
    )


@pytest.mark.postgres
def test_with_postgres_an_ingested_article_is_kept_in_the_database_with_its_text_link_and_fetch_time(
    tmp_path: Path, postgres_server: PostgresServer, site: str
) -> None:
    svc = _services(tmp_path, backend=CatalogBackend("postgresql", postgres_server.create_database()))
    try:
        result = svc.ingest(url=f"{site}/article.html")
        (kept,) = svc.ingested.stored()
        assert (kept.doc_id, kept.key, kept.file_name) == (
            result.doc_id,
            f"{site}/article.html",
            result.path.name,
        )
        assert kept.source_url == f"{site}/article.html" and re.fullmatch(
            r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", kept.fetched_at
        )
        assert kept.text == result.path.read_text()  # the export in this machine's folder is the same text
        stored = svc.catalog.document(result.doc_id)
        assert stored is not None and stored.path == f"database:{result.path.name}"
        # the export is not a second article, and is not reported: the database's copy is the one indexed
        again = svc.reindex()
        assert result.doc_id in again.unchanged and not again.skipped and svc.catalog.counts()[0] == 5
        # an edit of the export changes nothing, nor does deleting it: it is a copy
        result.path.write_text(result.path.read_text().replace("Ruritania", "Elbonia"))
        assert svc.reindex().updated == [] and "Ruritania" in svc.catalog.chunks_of(result.doc_id)[0].text
        result.path.unlink()
        assert svc.reindex().deleted == [] and svc.catalog.document(result.doc_id) is not None
    finally:
        svc.close()


@pytest.mark.postgres
@pytest.mark.chroma_server
def test_an_article_ingested_on_one_node_survives_a_reindex_on_another_and_answers_on_both(
    tmp_path: Path, postgres_server: PostgresServer, chroma_server: tuple[str, int], site: str
) -> None:
    """Two machines that share no folder: each its own data folder and corpus folder, one PostgreSQL
    database and one Chroma server."""
    url = postgres_server.create_database()
    shared = {
        "database_url": url,
        "chroma_host": chroma_server[0],
        "chroma_port": chroma_server[1],
        "chroma_collection_prefix": f"n{uuid.uuid4().hex[:8]}",
        "ingest_allowed_networks": ["127.0.0.0/8"],
    }
    node_a = Services(
        make_settings(tmp_path / "a", corpus=write_sample_corpus(tmp_path / "a" / "corpus"), **shared)
    )
    node_b = Services(
        make_settings(tmp_path / "b", corpus=write_sample_corpus(tmp_path / "b" / "corpus"), **shared)
    )
    try:
        node_a.reindex()
        result = node_a.ingest(url=f"{site}/article.html")
        assert result.path.parent == tmp_path / "a" / "corpus"
        assert not (tmp_path / "b" / "corpus" / result.path.name).exists()  # node B's folder never had it

        report = node_b.reindex()  # reads node B's own folder, where the article is not
        assert report.deleted == [] and result.doc_id in report.unchanged and not report.skipped
        question = "When did Ruritania join the International Lunar Research Station?"
        for node in (node_a, node_b):
            assert node.catalog.document(result.doc_id) is not None
            assert (
                node.searcher.search("Ruritania memorandum lunar landers").passages[0].doc_id == result.doc_id
            )
            answer = node.answerer.answer(question)
            assert "4 March 2026" in answer.text and result.doc_id in {c.doc_id for c in answer.citations}

        # node B ingests the same link again: the same article (found in the database), updated, not doubled
        again = node_b.ingest(url=f"{site}/article.html")
        assert again.updated and again.doc_id == result.doc_id and again.path.name == result.path.name
        assert node_a.reindex().deleted == [] and node_a.catalog.counts()[0] == 5
    finally:
        node_a.close()
        node_b.close()
        postgres_server.drop_database(url)


@pytest.mark.both_catalogs
def test_an_ingest_refused_because_another_reindex_runs_leaves_nothing_for_the_next_reindex(
    tmp_path: Path, catalog_backend: CatalogBackend, site: str
) -> None:
    """'Not ingested: a reindex is already running' (another node's, with PostgreSQL) is true: the article
    is not kept, so the next reindex does not add it behind the admin's back."""
    svc = _services(tmp_path, backend=catalog_backend)
    other = Services(svc.settings)  # another process (another node, with PostgreSQL) reindexing meanwhile
    held, release = threading.Event(), threading.Event()

    def reindex_elsewhere() -> None:
        with other.indexer.lock.hold("carol (/reindex)"):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=reindex_elsewhere)
    holder.start()
    try:
        assert held.wait(10)
        with pytest.raises(IndexBusy, match="already running"):
            svc.ingest(url=f"{site}/article.html")
    finally:
        release.set()
        holder.join(10)
        other.close()
    report = svc.reindex()
    assert report.added == [] and svc.catalog.counts()[0] == 4
    assert not list((tmp_path / "corpus").glob("ingested-*")) and svc.ingested.stored() == []
    # asked again once the other reindex is done, it is ingested
    assert not svc.ingest(url=f"{site}/article.html").updated
    svc.close()
