"""Small builders shared by the tests: article files, settings and services on temporary folders."""

from __future__ import annotations

import contextlib
import ctypes
import os
import socket
import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from config.settings import Settings
from retrieval.embeddings import FAKE_EMBEDDER


def write_article(
    folder: Path,
    doc_id: str,
    title: str,
    body: str,
    *,
    published: str = "2024-01-01",
    outlet: str = "Test Wire",
    url: str | None = None,
    topics: list[str] | None = None,
    name: str | None = None,
) -> Path:
    """Write one Markdown article with complete front matter; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    url = url or f"https://example.org/{doc_id}"
    topic_list = ", ".join(topics or ["test"])
    text = (
        textwrap.dedent(f"""\
        ---
        id: {doc_id}
        title: "{title}"
        published: {published}
        outlet: "{outlet}"
        url: {url}
        sources:
          - {url}
        topics: [{topic_list}]
        ---

        """)
        + body.strip()
        + "\n"
    )
    path = folder / (name or f"{doc_id}.md")
    path.write_text(text, encoding="utf-8")
    return path


def make_settings(
    tmp: Path, *, corpus: Path | None = None, model: str = FAKE_EMBEDDER, **extra: object
) -> Settings:
    """Settings isolated under a temporary folder (no .env, no environment leaks)."""
    values: dict[str, object] = {
        "data_dir": tmp / "data",
        "corpus_dir": corpus or tmp / "corpus",
        "registry_path": tmp / "members.csv",
        "embedding_model": model,
        "chunk_tokens": 60,
        "chunk_overlap_tokens": 10,
    }
    values.update(extra)
    return Settings.model_validate(values)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SAMPLE_ARTICLES = {
    "belarus-ilrs": (
        "Belarus joins the ILRS",
        "2023-10-26",
        "Belarus joined the International Lunar Research Station in October 2023. The National Academy "
        "of Sciences of Belarus and CNSA signed a joint declaration that week.",
    ),
    "egypt-ilrs": (
        "Egypt joins the ILRS",
        "2023-12-06",
        "Egypt joined the ILRS on 6 December 2023, when CNSA and the Egyptian Space Agency signed a "
        "cooperation agreement in Beijing. Egypt was the first Arab country to join.",
    ),
    "finland-artemis": (
        "Finland signs the Artemis Accords",
        "2025-01-21",
        "Finland signed the Artemis Accords on 21 January 2025, becoming the 53rd signatory. "
        "The signing came one day after the presidential inauguration.",
    ),
    "accords-explainer": (
        "What the Artemis Accords are",
        "2020-10-13",
        "The Artemis Accords are non-binding principles for civil exploration grounded in the "
        "Outer Space Treaty. Eight countries signed first on 13 October 2020.\n\n"
        "The Accords cover transparency, interoperability, emergency assistance, registration, "
        "release of scientific data, heritage, space resources, deconfliction and debris.",
    ),
}


def write_sample_corpus(folder: Path) -> Path:
    """Four small articles about both coalitions."""
    for doc_id, (title, published, body) in SAMPLE_ARTICLES.items():
        write_article(folder, doc_id, title, body, published=published)
    return folder


@contextlib.contextmanager
def serve_http(
    routes: dict[str, tuple[int, dict[str, str], bytes]], *, stream: set[str] | None = None
) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 answering GET `path` with (status, headers, body); yields its base URL.

    Paths in `stream` are sent without a Content-Length (the client must read to the end)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:
            status, headers, body = routes.get(self.path, (404, {}, b""))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if self.path not in (stream or set()):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def alias_bomb(levels: int, *, body: str = "Ruritania joined the ILRS on 4 March 2026.") -> str:
    """A Markdown file whose front matter is a YAML alias bomb: each level lists the previous one nine
    times, so the title would expand to 9**levels strings (levels=9: 387 million) from a few hundred bytes."""
    names = [chr(ord("a") + i) for i in range(levels + 1)]
    lines = ["---", "id: bomb", f"{names[0]}: &{names[0]} [" + ", ".join(['"lol"'] * 9) + "]"]
    for prev, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    lines += [
        f"title: *{names[-1]}",
        "published: 2026-03-04",
        "url: https://example.org/bomb",
        "---",
        "",
        body,
    ]
    return "\n".join(lines) + "\n"


HOSTILE_ARTICLES = {
    # citation-like markers, a masked link and a bare link in the text; a masked link in the title
    "ruritania.md": """---
id: ruritania-ilrs
title: "Ruritania joins the ILRS [2] [see this NASA page](https://evil.example/title)"
published: 2026-03-04
outlet: "Evil Wire @everyone <@&123456789012345678>"
url: https://example.org/ruritania
---

Ruritania and Russia agreed to build the lunar station jointly [2][3]. Ruritania joined the International Lunar
Research Station on 4 March 2026, according to [this NASA page](https://evil.example/nasa).

Ruritania pledged 40 million euros to the lunar station, says <@123456789012345678> @everyone @here
https://evil.example/funding <https://evil.example/hidden> www.evil.example ||click here|| `rm -rf`.
""",
    # footnotes, superscripts, lookalike brackets, a quote, a timestamp, an emoji and a channel
    "freedonia.md": """---
id: freedonia-artemis
title: Freedonia signs the Artemis Accords
published: 2026-02-01
outlet: Test Wire
url: https://example.org/freedonia
---

> Freedonia signed the Artemis Accords on 1 February 2026[^1], becoming the 60th signatory¹ [citation needed]
> ［４］ [5-7] <t:1767225600:R> <:party:123456789012345678> in <#123456789012345678>.

-# Freedonia's space agency will host the next Artemis Accords workshop in ```Fredonia City``` in 2027 [note 2].
""",
}
HOSTILE_QUESTIONS = [
    "When did Ruritania join the ILRS?",
    "Who did Ruritania agree to build the lunar station with?",
    "How much money did Ruritania pledge to the lunar station?",
    "When did Freedonia sign the Artemis Accords?",
    "Where will Freedonia host the Artemis Accords workshop?",
]
# Text that must never reach a reader from a hostile article (our own [n] are checked separately).
SMUGGLED = ["evil.example", "@everyone", "@here", "<@", "<#", "<t:", "||", "`", "](", "[^", "¹", "［", "-#"]


def write_hostile_corpus(folder: Path) -> Path:
    """Articles whose text and metadata carry fake citations, links, mentions and Discord markup."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in HOSTILE_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@contextlib.contextmanager
def serve_trickle(
    stage: str, *, interval: float = 0.25, body: bytes = b"x" * 24
) -> Iterator[tuple[str, list[float], dict[str, int]]]:
    """An HTTP server on 127.0.0.1 that answers every request slowly: `stage` 'headers' sends its status
    line and headers one byte per `interval`, 'body' sends the headers at once and then the body one byte
    per `interval`. Yields its base URL, the times connections were accepted, and how many of the slow
    bytes were sent (`sent`, of `total`)."""
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
    )
    accepted: list[float] = []
    slow_part = head if stage == "headers" else body
    progress = {"sent": 0, "total": len(slow_part)}
    listener = socket.create_server(("127.0.0.1", 0))

    def trickle(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)  # the request
                slow, fast = (head, body) if stage == "headers" else (body, b"")
                if stage == "body":
                    conn.sendall(head)
                for i in range(len(slow)):
                    conn.sendall(slow[i : i + 1])
                    progress["sent"] = i + 1
                    time.sleep(interval)
                conn.sendall(fast)
            except OSError:  # the client gave up: the point of the exercise
                return

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:  # closed
                return
            accepted.append(time.monotonic())
            threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted, progress
    finally:
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        listener.close()


def obey_file_permissions() -> None:
    """A preexec_fn: the child obeys file permissions even when the tests run as root (it loses
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its bounding set); nothing changes for other users."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop the capability to bypass file permissions")
