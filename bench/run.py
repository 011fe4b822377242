"""The benchmarks behind `make bench`: indexing against the model's own speed, answer latency against
the floor at 1k/10k/100k chunks, memory, cold start, the embedding backends side by side, and the
catalog in PostgreSQL against SQLite (bench/postgres.py).

Prints Markdown tables and writes bench/results/bench.md, bench.json and PNG plots. Never run by the
tests: the suite asserts behaviour, this measures speed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.synthetic import questions, write_corpus
from config.settings import Settings
from retrieval.answer_types import Answer
from retrieval.documents import load_corpus
from retrieval.embeddings import Embedder, OnnxEmbedder
from retrieval.offline_answerer import OfflineAnswerer
from retrieval.sentence_vectors import ChunkEmbedding
from retrieval.services import Services

REPO = Path(__file__).resolve().parent.parent
ARTICLES_PER_1K_CHUNKS = 200  # the synthetic articles split into 5 chunks each


def settings_for(root: Path, corpus: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": root / "data",
        "corpus_dir": corpus,
        "registry_path": root / "none.csv",
        "model_cache_dir": root.parent / "models",
    }
    values.update(extra)
    return Settings.model_validate(values)


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


@dataclass
class DerivedEmbedder:
    """For the 100k point only: vectors derived from real embeddings of the 10k corpus (plus small noise),
    so the 100k index has a realistic vector distribution without hours of embedding. Queries still use
    the real model."""

    base: list[list[float]]
    name: str = "all-MiniLM-L6-v2"
    dimension: int = 384
    noise: float = 0.03

    def __post_init__(self) -> None:
        self._base = np.asarray(self.base, dtype=np.float32)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for text in texts:
            seed = int(hashlib.md5(text.encode()).hexdigest()[:12], 16)
            vec = self._base[seed % len(self._base)] + np.random.default_rng(seed).normal(
                0, self.noise, self.dimension
            )
            out.append((vec / np.linalg.norm(vec)).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def embed_with_sentences(
        self, texts: Sequence[str], sentences: Sequence[Sequence[str]]
    ) -> list[ChunkEmbedding]:
        """Derived sentence vectors too, so the 100k index answers the way a real one does (stored vectors)."""
        return [
            ChunkEmbedding(vector, [np.asarray(v, dtype=np.float32) for v in self.embed_documents(split)])
            for vector, split in zip(self.embed_documents(texts), sentences, strict=True)
        ]

    def count_tokens(self, text: str) -> int:
        from retrieval.embeddings import _count_tokens

        return _count_tokens("all-MiniLM-L6-v2", text)


def raw_throughput(embedder: Embedder, texts: list[str]) -> float:
    """Chunks per second of the model alone on these texts."""
    embedder.embed_documents(texts[:16])  # warm
    started = time.perf_counter()
    embedder.embed_documents(texts)
    return len(texts) / (time.perf_counter() - started)


def latency(services: Services, qs: list[str]) -> dict[str, float]:
    """Warm per-question answer time, and the floor: one query embedding plus one vector search."""
    answerer = services.offline_answerer
    answerer.answer(qs[0])
    times, floor = [], []
    for q in qs:
        t0 = time.perf_counter()
        vector = services.embedder.embed_query(q)
        services.store.query(vector, services.searcher.candidates)
        floor.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        answerer.answer(q)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": pct(times, 95),
        "floor_p50_ms": statistics.median(floor),
    }


def peak_rss_mb(data_dir: Path, corpus: Path, n_questions: int = 40) -> float:
    """Peak RSS of a fresh process that loads the model and index and answers questions."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from bench.run import settings_for\nfrom bench.synthetic import questions\n"
        "from retrieval.services import Services\n"
        f"s = Services(settings_for(Path({str(data_dir.parent)!r}), Path({str(corpus)!r})))\n"
        "s.check_ready()\n"
        f"[s.offline_answerer.answer(q) for q in questions({n_questions})]\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec
        "print([int(l.split()[1]) / 1024 for l in open('/proc/self/status') if l.startswith('VmHWM')][0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def cold_start_seconds(data_dir: Path) -> float:
    """Process start to 'ready' (settings, model loaded and warmed, index and registry open), median of 3."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from config.settings import get_settings\nfrom retrieval.services import Services\n"
        "s = Services(get_settings()); s.check_ready(); s.embedder.warm_up(); s.registry.get()\n"
        "print(time.perf_counter() - t)\n"
    )
    env = {
        "DATA_DIR": str(data_dir),
        "MODEL_CACHE_DIR": str(data_dir.parent.parent / "models"),
        "PATH": "/usr/bin:/bin",
        "REGISTRY_PATH": str(REPO / "corpus" / "members.csv"),
    }
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
        )
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


SECTIONS = ("main", "postgres")


def run(
    out_dir: Path,
    work: Path,
    sizes: Sequence[int],
    *,
    only: str | None = None,
    postgres_sizes: Sequence[int] = (10_000, 100_000),
) -> dict[str, Any]:
    """Run every section (or only one), write bench/results, return the results.

    One section alone keeps the other's figures from the previous bench.json."""
    onnx = OnnxEmbedder(cache_dir=work / "models")
    onnx.warm_up()
    previous = out_dir / "bench.json"
    results: dict[str, Any] = json.loads(previous.read_text()) if only and previous.exists() else {}
    if only in (None, "main"):
        results.update(main_section(work, sizes, onnx))
    if only in (None, "postgres"):
        from bench.postgres import run_postgres

        section = run_postgres(work, postgres_sizes, onnx)
        if (
            "postgres" in results
        ):  # sizes measured in an earlier run of the section stay, marked with their time
            section["sizes"] = {**results["postgres"]["sizes"], **section["sizes"]}
        results["postgres"] = section
    results.setdefault("machine", {})["cores"] = os.cpu_count()
    write(results, out_dir)
    return results


def main_section(work: Path, sizes: Sequence[int], onnx: OnnxEmbedder) -> dict[str, Any]:
    """Indexing, answer latency, memory and cold start at each size, and the embedding backends."""
    results: dict[str, Any] = {"sizes": {}, "machine": {"cores": os.cpu_count()}}
    qs = questions(100)

    # The model alone, on 1,000 chunk texts of the synthetic corpus (it does not depend on corpus size).
    sample_corpus = write_corpus(work / "corpus-sample", ARTICLES_PER_1K_CHUNKS, seed=3)
    sample_services = Services(settings_for(work / "sample", sample_corpus), embedder=onnx)
    sample_chunks = [
        c.embed_text for a in load_corpus(sample_corpus).articles for c in sample_services.chunker.split(a)
    ]
    raw = raw_throughput(onnx, sample_chunks[:1000])
    results["raw_chunks_per_s"] = raw
    print(
        f"model alone (onnx fp32): {raw:.1f} chunks/s on {min(1000, len(sample_chunks))} chunks", flush=True
    )

    base_vectors: list[list[float]] = []
    for size in sizes:
        n_articles = size * ARTICLES_PER_1K_CHUNKS // 1000
        corpus = write_corpus(work / f"corpus-{size}", n_articles)
        root = work / f"index-{size}"
        shutil.rmtree(root, ignore_errors=True)  # the index build is measured from scratch every run
        derived = size > 10_000
        embedder: Any = DerivedEmbedder(base_vectors) if derived else onnx
        services = Services(settings_for(root, corpus), embedder=embedder)
        report = services.reindex()
        row: dict[str, Any] = {
            "articles": n_articles,
            "chunks": services.catalog.counts()[1],
            "index_seconds": report.seconds,
            "derived_vectors": derived,
        }
        if not derived:
            row["pipeline_chunks_per_s"] = report.chunks_embedded / report.seconds
            row["ratio_to_model"] = row["pipeline_chunks_per_s"] / raw
            if size == 10_000:
                col = services.store.collection()
                got = col.get(include=["embeddings"], limit=20_000)
                base_vectors = [list(map(float, v)) for v in got["embeddings"]]
        noop = services.reindex()
        row["noop_reindex_seconds"] = noop.seconds
        row["noop_seconds_per_1000_articles"] = noop.seconds * 1000 / n_articles
        query_services = Services(settings_for(root, corpus), embedder=onnx)
        row.update(latency(query_services, qs))
        row["peak_rss_mb"] = peak_rss_mb(root / "data", corpus)
        results["sizes"][str(size)] = row
        print(
            f"{size} chunks: {json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()})}",
            flush=True,
        )

    results["backends"] = backends(work, sample_chunks[:256])
    results["cold_start_seconds"] = results["backends"]["onnx"].get("cold_start_seconds")
    return results


def asker(answerer: OfflineAnswerer) -> Callable[[str, str | None], Answer]:
    """The evaluation's ask(question, context), answered by this answerer."""
    return lambda question, context: answerer.answer(question, context=context)


def backends(work: Path, texts: list[str]) -> dict[str, Any]:
    """torch, onnx and onnx-int8: model throughput and the evaluation's figures on the real corpus."""
    from retrieval.evaluation import answer_all, figures, load_questions, retrieval_figures

    tuning = load_questions(
        REPO / "tests" / "data" / "questions.jsonl", split="tuning"
    )  # never the test split
    out: dict[str, Any] = {}
    for backend in ("torch", "onnx", "onnx-int8"):
        root = work / f"real-{backend}"
        shutil.rmtree(root, ignore_errors=True)
        settings = settings_for(
            root,
            REPO / "corpus" / "articles",
            embedding_backend=backend,
            registry_path=REPO / "corpus" / "members.csv",
        )
        services = Services(settings)
        services.reindex()
        embedder = services.embedder
        answerer = services.offline_answerer
        answerer.warm_up()
        result = figures(backend, answer_all(tuning, asker(answerer)))
        hit_at_5, mrr = retrieval_figures(tuning, services.searcher, "hybrid")
        out[backend] = {
            "chunks_per_s": raw_throughput(embedder, texts),
            "query_ms": _query_ms(embedder),
            "hit_at_5": hit_at_5,
            "mrr": mrr,
            "accuracy": result.accuracy,
            "median_answer_ms": result.p50_ms,
        }
        if backend == "onnx":
            out[backend]["cold_start_seconds"] = cold_start_seconds(root / "data")
        print(
            f"backend {backend}: {json.dumps({k: round(v, 3) for k, v in out[backend].items()})}", flush=True
        )
    return out


def _query_ms(embedder: Embedder) -> float:
    embedder.embed_query("warm")
    times = []
    for q in questions(50, seed=5):
        t0 = time.perf_counter()
        embedder.embed_query(q)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def write(results: dict[str, Any], out_dir: Path) -> None:
    """bench.json, bench.md and the plots, for the sections the results hold."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench.json").write_text(json.dumps(results, indent=2))
    lines = ["# Benchmarks", ""]
    if "sizes" in results:
        lines += main_markdown(results)
        plot(results, out_dir)
    if "postgres" in results:
        from bench import postgres

        lines += ["", *postgres.markdown(results["postgres"])]
        postgres.plot(results["postgres"], out_dir)
    (out_dir / "bench.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main_markdown(results: dict[str, Any]) -> list[str]:
    """The main section's tables."""
    sizes = results["sizes"]
    raw = results["raw_chunks_per_s"]
    lines = [
        f"Machine: {results['machine']['cores']} CPU cores, no GPU. "
        "Embedding backend: ONNX fp32 (the default). Synthetic news corpus (bench/synthetic.py, seed 7).",
        "",
        "## Indexing",
        "",
        f"Model alone: **{raw:.1f} chunks/s** (1,000 chunks of ~180 tokens, batch 32).",
        "",
        "| chunks | articles | index time s | pipeline chunks/s | ratio to model | no-op reindex s | "
        "no-op s per 1,000 articles |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in sizes.values():
        pipe = f"{r['pipeline_chunks_per_s']:.1f}" if "pipeline_chunks_per_s" in r else "(derived vectors)"
        ratio = f"{r['ratio_to_model']:.2f}" if "ratio_to_model" in r else "—"
        lines.append(
            f"| {r['chunks']:,} | {r['articles']:,} | {r['index_seconds']:.1f} | {pipe} | {ratio} | "
            f"{r['noop_reindex_seconds']:.2f} | {r['noop_seconds_per_1000_articles']:.2f} |"
        )
    lines += [
        "",
        "## Answering (warm, offline answerer, 100 questions)",
        "",
        "| chunks | p50 ms | p95 ms | floor p50 ms (query embedding + vector search) | p50 / floor | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for r in sizes.values():
        lines.append(
            f"| {r['chunks']:,} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['floor_p50_ms']:.2f} | "
            f"{r['p50_ms'] / r['floor_p50_ms']:.1f}× | {r['peak_rss_mb']:.0f} |"
        )
    if "10000" in sizes and "100000" in sizes:
        growth = sizes["100000"]["p50_ms"] / sizes["10000"]["p50_ms"]
        lines += ["", f"Growth of p50 from 10k to 100k chunks: **{growth:.2f}×**."]
    lines += [
        "",
        "The 100k point's vectors are derived from the real embeddings of the 10k corpus plus noise "
        "(bench/run.py, DerivedEmbedder), so building it takes minutes, not hours; its catalog, keyword index "
        "and Chroma collection are full size and its queries use the real model.",
        "",
        f"Cold start to ready (model loaded and warmed, index and registry open): "
        f"**{results['cold_start_seconds']:.1f} s** (median of 3).",
        "",
        "## Embedding backends (real corpus, tuning questions, hybrid retrieval)",
        "",
        "| backend | model chunks/s | query embedding ms | hit@5 | MRR | accuracy | median answer ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, b in results["backends"].items():
        lines.append(
            f"| {name} | {b['chunks_per_s']:.1f} | {b['query_ms']:.2f} | {b['hit_at_5']:.3f} | "
            f"{b['mrr']:.3f} | {b['accuracy']:.3f} | {b['median_answer_ms']:.1f} |"
        )
    return lines


def plot(results: dict[str, Any], out_dir: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    chunks = [r["chunks"] for r in sizes.values()]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    a.plot(chunks, [r["p50_ms"] for r in sizes.values()], "o-", label="answer p50")
    a.plot(chunks, [r["p95_ms"] for r in sizes.values()], "o--", label="answer p95")
    a.plot(chunks, [r["floor_p50_ms"] for r in sizes.values()], "s-", label="floor p50 (embed + search)")
    a.set_xscale("log")
    a.set_xlabel("chunks indexed")
    a.set_ylabel("ms")
    a.set_title("Answer latency vs corpus size")
    a.legend()
    b.plot(chunks, [r["peak_rss_mb"] for r in sizes.values()], "o-", color="purple")
    b.set_xscale("log")
    b.set_xlabel("chunks indexed")
    b.set_ylabel("MB")
    b.set_title("Peak RSS")
    fig.tight_layout()
    fig.savefig(out_dir / "bench_latency_memory.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 4))
    names = ["model alone"] + [
        f"pipeline {r['chunks']:,}" for r in sizes.values() if "pipeline_chunks_per_s" in r
    ]
    values = [results["raw_chunks_per_s"]] + [
        r["pipeline_chunks_per_s"] for r in sizes.values() if "pipeline_chunks_per_s" in r
    ]
    names += [f"{n} model" for n in results["backends"]]
    values += [b["chunks_per_s"] for b in results["backends"].values()]
    ax.barh(names, values, color="#1f5fa8")
    ax.set_xlabel("chunks per second")
    ax.set_title("Indexing throughput")
    fig.tight_layout()
    fig.savefig(out_dir / "bench_indexing.png", dpi=110)
    plt.close(fig)
