"""The PostgreSQL section of `make bench` (`python -m bench --only postgres` runs it alone).

On the synthetic corpora of 10k and 100k chunks, in one run and on one machine, the catalog in
PostgreSQL (retrieval/postgres_catalog.py) against the SQLite file (retrieval/catalog.py):

- keyword search and answer latency (p50/p95), the two catalogs asked the same questions in turn, on
  one Chroma folder (chunk ids are content hashes, so both catalogs name the same vectors);
- questions per second answered by one and by two processes (at the smallest size), each its own
  `python` with its own connections, sharing a Chroma server, against the model's own query-embedding throughput in the
  same processes (the floor: a question embeds itself once);
- a no-op reindex on both (every article read and compared, nothing written);
- writing the catalog: every article's chunks, keyword entries and sentence vectors written through
  the catalog's own `replace_document` (the indexer's write, one transaction per article), the
  vectors reused, so the embedding time common to both is left out.

The server is a real PostgreSQL from the machine's binaries (tests/postgres_server.py), on 127.0.0.1
with its durable defaults (fsync on, synchronous commit), stopped at the end. Other work may share
the cores: every figure is the median of repeated passes, and the load average is recorded with it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.synthetic import questions, write_corpus
from retrieval.catalog import Catalog, SqliteCatalog
from retrieval.documents import Article, load_corpus
from retrieval.embeddings import Embedder, OnnxEmbedder
from retrieval.indexer import IN_PROGRESS
from retrieval.postgres_catalog import PostgresCatalog
from retrieval.services import Services

PASSES = 3  # of 100 questions each (each pass its own questions), per catalog
QUESTIONS_PER_PASS = 100
QPS_ROUNDS = 3
QPS_SECONDS = 10.0
PROCESSES = (1, 2)
# Articles written through the catalog's own replace_document at each size (its time per 1,000 articles
# is the figure); beyond them the PostgreSQL catalog is filled by COPY, or the 100k point's setup alone
# would take longer than the rest of the section.
WRITTEN_ARTICLES = 2000


def pct(values: Sequence[float], p: float) -> float:
    """The p-th percentile by nearest rank (as the other sections of the bench report it)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def summarise(passes: Sequence[Sequence[float]]) -> dict[str, float]:
    """p50 and p95 of each pass, then the median of each over the passes (contention hits some passes)."""
    return {
        "p50_ms": statistics.median(statistics.median(p) for p in passes),
        "p95_ms": statistics.median(pct(p, 95) for p in passes),
        "passes": len(passes),
    }


def timed_in_turn(
    calls: dict[str, Callable[[str], object]], question_sets: Sequence[Sequence[str]]
) -> dict[str, dict[str, float]]:
    """Each question asked of every call in turn (so contention falls on all alike); ms per call."""
    times: dict[str, list[list[float]]] = {name: [] for name in calls}
    for qs in question_sets:
        for name in calls:
            times[name].append([])
        for q in qs:
            for name, call in calls.items():
                t0 = time.perf_counter()
                call(q)
                times[name][-1].append((time.perf_counter() - t0) * 1000)
    return {name: summarise(passes) for name, passes in times.items()}


def copy_catalog(source: Catalog, target: Catalog, articles: Sequence[Article], model: str) -> float:
    """Write every indexed article of source into target through replace_document, as the indexer does
    (one transaction per article, sentence vectors included); returns the seconds it took."""
    started = time.perf_counter()
    for article in articles:
        chunks = source.chunks_of(article.doc_id)
        sentences = source.sentence_vectors([c.chunk_id for c in chunks], model)
        target.replace_document(article, chunks, sentences)
    for key in ("embedding_model", "last_index_at"):
        target.set_meta(key, source.get_meta(key))
    return time.perf_counter() - started


def bulk_load(source: SqliteCatalog, target: PostgresCatalog, url: str, written: set[str]) -> float:
    """Bench setup only: the articles not in `written` copied into the PostgreSQL catalog with COPY, in
    one transaction, as replace_document would write them (the catalog's own tokens, stems and tsvector);
    the word counts and totals then taken whole from the SQLite catalog. Returns the seconds it took."""
    import psycopg

    from retrieval.postgres_catalog import _tsvector, index_tokens

    started = time.perf_counter()
    lite = sqlite3.connect(source.path)
    documents = [r for r in lite.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents") if r[0] not in written]
    chunks = [
        r
        for r in lite.execute(
            'SELECT c.chunk_id, c.doc_id, c.n, c.text, c.start, c."end", d.title '
            "FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
        )
        if r[1] not in written
    ]
    tokens = [(index_tokens(r[6]), index_tokens(r[3])) for r in chunks]
    with psycopg.connect(url) as conn, conn.transaction():
        target._bump(conn)
        stems = target._stem(conn, {w for title, text in tokens for w in (*title, *text)})
        with conn.cursor() as cur:
            with cur.copy(
                'COPY chunks(chunk_id, doc_id, n, text, "start", "end", terms, n_tokens) FROM STDIN'
            ) as copy:
                for r, (title, text) in zip(chunks, tokens, strict=True):
                    copy.write_row((*r[:6], _tsvector(title, text, stems), len(title) + len(text)))
            ids = {r[0] for r in chunks}
            with cur.copy(
                "COPY sentence_vectors(chunk_id, model, digest, vectors, scales) FROM STDIN"
            ) as copy:
                for r in lite.execute(
                    "SELECT chunk_id, model, digest, vectors, scales FROM sentence_vectors"
                ):
                    if r[0] in ids:
                        copy.write_row(r)
            with cur.copy(f"COPY documents({_DOCUMENT_COLUMNS}) FROM STDIN") as copy:
                for r in documents:
                    copy.write_row(r)
            cur.execute("TRUNCATE words")
            with cur.copy("COPY words(word, df) FROM STDIN") as copy:
                for r in lite.execute("SELECT word, df FROM words"):
                    copy.write_row(r)
            cur.execute("UPDATE catalog_state SET tokens = (SELECT coalesce(sum(n_tokens), 0) FROM chunks)")
    lite.close()
    return time.perf_counter() - started


_DOCUMENT_COLUMNS = (
    "doc_id, path, content_hash, title, published, outlet, url, sources, topics, n_chunks, indexed_at, kind, "
    "summary_of"
)


def keyword_agreement(a: Catalog, b: Catalog, qs: Sequence[str], limit: int = 10) -> float:
    """The share of questions whose top keyword results agree on both catalogs: the same scores, and the
    same chunks above the last score (chunks tied with it may be cut and ordered differently)."""
    agree = 0
    for q in qs:
        first, second = a.keyword_search(q, limit), b.keyword_search(q, limit)
        scores = len(first) == len(second) and all(
            abs(x - y) <= 1e-6 * max(1.0, abs(x)) for (_, x), (_, y) in zip(first, second, strict=True)
        )
        cut = first[-1][1] + 1e-9 if first else 0.0
        above = {cid for cid, s in first if s > cut} == {cid for cid, s in second if s > cut}
        agree += scores and above
    return agree / len(qs)


def qps_of(rounds: Sequence[Sequence[dict[str, float]]]) -> float:
    """Questions per second of concurrent workers: each round sums its workers' rates; the median round."""
    return statistics.median(sum(w["count"] / w["seconds"] for w in workers) for workers in rounds)


def load_average() -> float:
    """The 1-minute load average: how busy the machine was (other engineers' work included)."""
    return round(os.getloadavg()[0], 2)


# -- the index both catalogs read -------------------------------------------------------------
def sqlite_index(work: Path, size: int, onnx: OnnxEmbedder) -> tuple[Path, Path, float | None]:
    """The SQLite index of `size` chunks (catalog and Chroma folder) that the main section builds in
    work/index-SIZE; built here when missing or incomplete (the 100k point from the 10k one's vectors).
    Returns its root, its corpus and the seconds a build took (None when reused)."""
    from bench.run import ARTICLES_PER_1K_CHUNKS, DerivedEmbedder, settings_for

    n_articles = size * ARTICLES_PER_1K_CHUNKS // 1000
    corpus = write_corpus(work / f"corpus-{size}", n_articles)
    root = work / f"index-{size}"
    if _complete(root, corpus, n_articles, onnx):
        return root, corpus, None
    embedder: Embedder = onnx
    if size > 10_000:
        base_root, _, _ = sqlite_index(work, 10_000, onnx)
        base = Services(settings_for(base_root, work / "corpus-10000"), embedder=onnx)
        got = base.store.collection().get(include=["embeddings"], limit=20_000)
        base.close()
        embedder = DerivedEmbedder([list(map(float, v)) for v in got["embeddings"]])
    shutil.rmtree(root, ignore_errors=True)
    services = Services(settings_for(root, corpus), embedder=embedder)
    report = services.reindex()
    services.close()
    how = "derived from the 10k index's real vectors, plus noise" if size > 10_000 else "real (ONNX fp32)"
    (root / "vectors.txt").write_text(f"{how}, built by the postgres section in {report.seconds:.0f} s")
    return root, corpus, report.seconds


def _complete(root: Path, corpus: Path, n_articles: int, onnx: OnnxEmbedder) -> bool:
    """Whether root holds a finished index of this corpus (every article, every vector)."""
    from bench.run import settings_for

    if not (root / "data" / "catalog.sqlite3").exists():
        return False
    services = Services(settings_for(root, corpus), embedder=onnx)
    try:
        articles, chunks = services.catalog.counts()
        finished = services.catalog.get_meta(IN_PROGRESS) is None
        return finished and articles == n_articles and services.store.count() == chunks
    finally:
        services.close()


# -- servers ----------------------------------------------------------------------------------
@contextlib.contextmanager
def postgres_server() -> Iterator[Any]:
    """A PostgreSQL server on 127.0.0.1 from the machine's binaries, durable, stopped at the end."""
    from tests.postgres_server import NEEDED, PostgresServer, find_binaries

    binaries = find_binaries()
    if binaries is None:
        raise SystemExit(NEEDED)
    server = PostgresServer(binaries, durable=True)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


@contextlib.contextmanager
def chroma_server(vectors: Path, scratch: Path) -> Iterator[int]:
    """A Chroma server on a copy of an embedded Chroma folder (the processes share it); yields its port."""
    from tests.chroma_server import ChromaServer

    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    shutil.copytree(vectors, scratch / "db")
    server = ChromaServer(scratch).start(timeout=180)
    try:
        yield server.port
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


# -- questions per second, in separate processes ----------------------------------------------
def qps_worker(config: dict[str, Any]) -> None:
    """One process of the questions-per-second runs: load, warm up, say 'ready', then answer (or only
    embed) questions for `seconds` at each 'go' on stdin, printing a JSON line of count and seconds."""
    from bench.run import settings_for

    onnx = OnnxEmbedder(cache_dir=Path(config["models"]))
    call: Callable[[str], object]
    if config["kind"] == "embed":
        call = onnx.embed_query
    else:
        settings = settings_for(
            Path(config["root"]),
            Path(config["corpus"]),
            database_url=config.get("database_url"),
            model_cache_dir=config["models"],
            chroma_host="127.0.0.1",
            chroma_port=config["chroma_port"],
        )
        call = Services(settings, embedder=onnx).offline_answerer.answer
    qs = questions(500, seed=config["seed"])
    for q in qs[:10]:
        call(q)
    print("ready", flush=True)
    i = 10
    for line in sys.stdin:
        if line.strip() != "go":
            break
        count, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < config["seconds"]:
            call(qs[i % len(qs)])
            i += 1
            count += 1
        print(json.dumps({"count": count, "seconds": time.perf_counter() - t0}), flush=True)


def _read_line(proc: subprocess.Popen[str], prefix: str) -> str:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(prefix):
            return line
    raise RuntimeError(f"a worker ended before printing {prefix!r} (see its log)")


def qps(config: dict[str, Any], processes: int, log_dir: Path) -> dict[str, Any]:
    """Questions per second of `processes` workers started alike, answering at the same time."""
    from bench.run import REPO

    code = "import json, sys; from bench.postgres import qps_worker; qps_worker(json.loads(sys.argv[1]))"
    procs: list[subprocess.Popen[str]] = []
    logs = []
    try:
        for n in range(processes):
            log = open(log_dir / f"worker-{config['kind']}-{config.get('catalog', '')}-{n}.log", "w")  # noqa: SIM115
            logs.append(log)
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-c", code, json.dumps({**config, "seed": 100 + n})],
                    cwd=REPO,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                    env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
                )
            )
        for proc in procs:
            _read_line(proc, "ready")
        rounds: list[list[dict[str, float]]] = []
        loads = []
        for _ in range(QPS_ROUNDS):
            for proc in procs:
                assert proc.stdin is not None
                proc.stdin.write("go\n")
                proc.stdin.flush()
            rounds.append([json.loads(_read_line(proc, "{")) for proc in procs])
            loads.append(load_average())
        return {"qps": qps_of(rounds), "rounds": rounds, "load_1min": loads}
    finally:
        for proc in procs:
            if proc.stdin is not None:
                with contextlib.suppress(BrokenPipeError):
                    proc.stdin.close()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in logs:
            log.close()


# -- the section ------------------------------------------------------------------------------
def run_postgres(work: Path, sizes: Sequence[int], onnx: OnnxEmbedder) -> dict[str, Any]:
    """Measure every size in `sizes` on both catalogs; returns the section's results."""
    from bench.run import settings_for

    results: dict[str, Any] = {"sizes": {}}
    scratch = work / "postgres"
    scratch.mkdir(parents=True, exist_ok=True)
    with postgres_server() as server:
        results["server"] = f"PostgreSQL {server_version(server.url())} on 127.0.0.1, durable defaults"
        for size in sizes:
            row: dict[str, Any] = {
                "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "load_1min": [load_average()],
            }
            root, corpus, built = sqlite_index(work, size, onnx)
            note = root / "vectors.txt"
            row["vectors"] = note.read_text().strip() if note.exists() else "as the main section built them"
            if built is not None:
                row["sqlite_index_seconds"] = built
            url = server.create_database()
            lite = Services(settings_for(root, corpus), embedder=onnx)
            pg = Services(settings_for(root, corpus, database_url=url), embedder=onnx)
            articles = load_corpus(corpus).articles
            row["articles"], row["chunks"] = lite.catalog.counts()
            print(f"postgres section, {row['chunks']:,} chunks: writing the catalogs", flush=True)

            # the catalog's own write on both stores (PostgreSQL, then a fresh SQLite file), then the rest by COPY
            some = articles[:WRITTEN_ARTICLES]
            row["written_articles"] = len(some)
            row["pg_write_seconds"] = copy_catalog(lite.catalog, pg.catalog, some, onnx.name)
            fresh_path = scratch / f"write-{size}" / "catalog.sqlite3"
            shutil.rmtree(fresh_path.parent, ignore_errors=True)
            fresh = SqliteCatalog(fresh_path)
            row["sqlite_write_seconds"] = copy_catalog(lite.catalog, fresh, some, onnx.name)
            fresh.close()
            shutil.rmtree(fresh_path.parent, ignore_errors=True)
            if len(some) < len(articles):
                assert isinstance(lite.catalog, SqliteCatalog) and isinstance(pg.catalog, PostgresCatalog)
                row["pg_copy_seconds"] = bulk_load(lite.catalog, pg.catalog, url, {a.doc_id for a in some})
                row["pg_copy_articles"] = len(articles) - len(some)
            if pg.catalog.counts() != lite.catalog.counts():
                raise RuntimeError(f"PostgreSQL holds {pg.catalog.counts()}, SQLite {lite.catalog.counts()}")
            _analyze(url)  # what autovacuum does shortly after a bulk load, done now
            row["load_1min"].append(load_average())
            row["keyword_top10_agree"] = keyword_agreement(lite.catalog, pg.catalog, questions(50, seed=31))

            # latency, each question to both catalogs in turn
            for services in (lite, pg):
                for q in questions(10, seed=99):
                    services.offline_answerer.answer(q)
            sets = [questions(QUESTIONS_PER_PASS, seed=11 + n) for n in range(PASSES)]
            candidates = lite.searcher.candidates
            row["keyword"] = timed_in_turn(
                {
                    "sqlite": functools.partial(lite.catalog.keyword_search, limit=candidates),
                    "postgresql": functools.partial(pg.catalog.keyword_search, limit=candidates),
                },
                sets,
            )
            row["load_1min"].append(load_average())
            row["answer"] = timed_in_turn(
                {"sqlite": lite.offline_answerer.answer, "postgresql": pg.offline_answerer.answer},
                [questions(QUESTIONS_PER_PASS, seed=21 + n) for n in range(PASSES)],
            )
            row["load_1min"].append(load_average())

            # no-op reindex, in turn
            noop: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
            for _ in range(3):
                for name, services in (("sqlite", lite), ("postgresql", pg)):
                    report = services.reindex()
                    if report.added or report.updated or report.deleted:
                        raise RuntimeError(f"the reindex on {name} was not a no-op: {report.summary()}")
                    noop[name].append(report.seconds)
            row["noop_reindex_seconds"] = {k: statistics.median(v) for k, v in noop.items()}
            row["noop_seconds_per_1000_articles"] = {
                k: v * 1000 / row["articles"] for k, v in row["noop_reindex_seconds"].items()
            }
            row["load_1min"].append(load_average())
            lite.close()
            pg.close()
            if size == min(sizes):  # the model dominates them (see the floor), so one size is enough
                print(f"postgres section, {row['chunks']:,} chunks: questions per second", flush=True)
                row["qps"] = qps_section(work, root, corpus, url, size)
                row["load_1min"].append(load_average())
            server.drop_database(url)
            results["sizes"][str(size)] = row
            print(f"postgres section, {size}: {json.dumps(_rounded(row))}", flush=True)
    return results


def qps_section(work: Path, root: Path, corpus: Path, url: str, size: int) -> dict[str, Any]:
    """Questions per second by 1 and 2 processes: the model's query embedding alone (the floor), and
    answers with each catalog; every process shares one Chroma server, as a deployment's do."""
    logs = work / "postgres" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {}
    with chroma_server(root / "data" / "chroma", work / "postgres" / f"chroma-{size}") as port:
        common = {"models": str(work / "models"), "corpus": str(corpus), "seconds": QPS_SECONDS}
        configs = {
            "embed": {**common, "kind": "embed"},
            "sqlite": {
                **common,
                "kind": "answer",
                "catalog": "sqlite",
                "root": str(root),
                "chroma_port": port,
            },
            "postgresql": {
                **common,
                "kind": "answer",
                "catalog": "postgresql",
                "root": str(
                    work / "postgres" / f"node-{size}"
                ),  # its own DATA_DIR: nothing shared but servers
                "database_url": url,
                "chroma_port": port,
            },
        }
        for name, config in configs.items():
            for processes in PROCESSES:
                result = qps(config, processes, logs)
                out[f"{name}_{processes}"] = result
                print(
                    f"  {name} x{processes}: {result['qps']:.1f} per s (load {result['load_1min']})",
                    flush=True,
                )
    return out


def _analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if k != "rounds"}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


# -- the report -------------------------------------------------------------------------------
def markdown(section: dict[str, Any]) -> list[str]:
    """The section's tables, in Markdown."""
    sizes = section["sizes"]
    lines = [
        "## PostgreSQL against SQLite (catalog and keyword index)",
        "",
        f"Server: {section['server']} (fsync on, synchronous commit). Both catalogs hold the same "
        "articles and read the same Chroma folder; each question goes to both in turn. Figures are the "
        f"median over {PASSES} passes of {QUESTIONS_PER_PASS} questions (each pass its own questions).",
        "",
        "| chunks | keyword p50 ms SQLite | PostgreSQL | keyword p95 ms SQLite | PostgreSQL | "
        "answer p50 ms SQLite | PostgreSQL | answer p95 ms SQLite | PostgreSQL |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sizes.values():
        kw, ans = r["keyword"], r["answer"]
        lines.append(
            f"| {r['chunks']:,} | {kw['sqlite']['p50_ms']:.2f} | {kw['postgresql']['p50_ms']:.2f} | "
            f"{kw['sqlite']['p95_ms']:.2f} | {kw['postgresql']['p95_ms']:.2f} | "
            f"{ans['sqlite']['p50_ms']:.1f} | {ans['postgresql']['p50_ms']:.1f} | "
            f"{ans['sqlite']['p95_ms']:.1f} | {ans['postgresql']['p95_ms']:.1f} |"
        )
    lines += [
        "",
        f"Questions per second (median of {QPS_ROUNDS} rounds of {QPS_SECONDS:.0f} s; each process its own "
        "`python`, all sharing one Chroma server; the floor is the model's query embedding alone in the "
        "same number of processes):",
        "",
        "| chunks | processes | floor (query embeddings/s) | answers/s SQLite | answers/s PostgreSQL | "
        "PostgreSQL / floor |",
        "|---|---|---|---|---|---|",
    ]
    for r in sizes.values():
        if "qps" not in r:
            continue
        for n in PROCESSES:
            floor, lite, pg = (r["qps"][f"{k}_{n}"]["qps"] for k in ("embed", "sqlite", "postgresql"))
            lines.append(
                f"| {r['chunks']:,} | {n} | {floor:.0f} | {lite:.1f} | {pg:.1f} | {pg / floor:.2f} |"
            )
    lines += [
        "",
        "| chunks | articles | no-op reindex s SQLite | PostgreSQL | per 1,000 articles SQLite | PostgreSQL | "
        "catalog write s per 1,000 articles SQLite | PostgreSQL | load average (1 min) during the size |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sizes.values():
        noop, per = r["noop_reindex_seconds"], r["noop_seconds_per_1000_articles"]
        written = r.get("written_articles", r["articles"])
        loads = r["load_1min"]
        lines.append(
            f"| {r['chunks']:,} | {r['articles']:,} | {noop['sqlite']:.2f} | {noop['postgresql']:.2f} | "
            f"{per['sqlite']:.2f} | {per['postgresql']:.2f} | {r['sqlite_write_seconds'] * 1000 / written:.2f} | "
            f"{r['pg_write_seconds'] * 1000 / written:.2f} | {min(loads):.1f}–{max(loads):.1f} |"
        )
    lines += [
        "",
        "The catalog write is articles written through the catalog's own `replace_document` (the indexer's "
        "write: one transaction per article with its chunks, keyword entries and sentence vectors), with the "
        "vectors already embedded: the embedding, the same for both catalogs, is left out. A load average "
        "above 2 means other work shared the 2 cores.",
        "",
    ]
    for r in sizes.values():
        line = f"- {r['chunks']:,} chunks, measured {r.get('measured_at', '?')}: vectors {r.get('vectors', '?')}; "
        line += f"{r.get('written_articles', r['articles']):,} articles written through replace_document"
        if "pg_copy_seconds" in r:
            line += (
                f", the other {r['pg_copy_articles']:,} copied into PostgreSQL with COPY "
                f"({r['pg_copy_seconds']:.0f} s, bench setup only)"
            )
        if "keyword_top10_agree" in r:
            line += (
                f"; keyword top 10 the same on both catalogs (same scores, chunks tied at the cut aside) for "
                f"{r['keyword_top10_agree']:.0%} of 50 questions"
            )
        elif "keyword_top10_same" in r:
            line += f"; keyword top 10 ids in the same order on both catalogs for {r['keyword_top10_same']:.0%} of 50 questions"
        lines.append(line + ".")
    return lines


def plot(section: dict[str, Any], out_dir: Path) -> None:
    """bench_postgres.png: keyword and answer latency on both catalogs, and questions per second."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    sizes = section["sizes"]
    labels = [f"{r['chunks'] // 1000}k" for r in sizes.values()]
    measured = [r for r in sizes.values() if "qps" in r]
    x = np.arange(len(labels))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    for ax, key, title in ((axes[0], "keyword", "Keyword search"), (axes[1], "answer", "Answer")):
        for i, (store, colour) in enumerate((("sqlite", "#1f5fa8"), ("postgresql", "#c0504d"))):
            p50 = [r[key][store]["p50_ms"] for r in sizes.values()]
            p95 = [r[key][store]["p95_ms"] for r in sizes.values()]
            ax.bar(x + (i - 0.5) * 0.38, p95, 0.36, color=colour, alpha=0.35, label=f"{store} p95")
            ax.bar(x + (i - 0.5) * 0.38, p50, 0.36, color=colour, label=f"{store} p50")
        ax.set_xticks(x, labels)
        ax.set_xlabel("chunks indexed")
        ax.set_ylabel("ms")
        ax.set_title(f"{title} latency")
        ax.legend(fontsize=8)
    ax = axes[2]
    bars = [(k, n) for n in PROCESSES for k in ("embed", "sqlite", "postgresql")]
    width = 0.8 / len(bars)
    colours = {"embed": "#7f7f7f", "sqlite": "#1f5fa8", "postgresql": "#c0504d"}
    for i, (k, n) in enumerate(bars):
        values = [r["qps"][f"{k}_{n}"]["qps"] for r in measured]
        name = "floor (embedding)" if k == "embed" else k
        ax.bar(
            np.arange(len(measured)) - 0.4 + (i + 0.5) * width,
            values,
            width * 0.9,
            color=colours[k],
            alpha=0.5 if n == 1 else 1.0,
            label=f"{name}, {n} process{'es' if n > 1 else ''}",
        )
    ax.set_xticks(np.arange(len(measured)), [f"{r['chunks'] // 1000}k" for r in measured])
    ax.set_xlabel("chunks indexed")
    ax.set_ylabel("per second")
    ax.set_title("Questions per second")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out_dir / "bench_postgres.png", dpi=110)
    plt.close(fig)
