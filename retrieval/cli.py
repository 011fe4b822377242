"""Command line: `python -m retrieval index|search|stats|...`.

Exit codes: 0 success, 2 bad usage (argparse), 1 an expected failure explained in one line.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from config.settings import Settings, SettingsError, get_settings
from retrieval.errors import IndexBusy, RetrievalError
from retrieval.failures import explain

log = logging.getLogger(__name__)


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "corpus", None):
        overrides["corpus_dir"] = Path(args.corpus)
    if getattr(args, "registry", None):
        overrides["registry_path"] = Path(args.registry)
    return get_settings().model_copy(update=overrides)


def _services(args: argparse.Namespace):  # -> Services (imported lazily: keeps `--help` fast)
    from retrieval.services import Services

    return Services(settings_from(args))


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=None))


def cmd_index(args: argparse.Namespace) -> int:
    services = _services(args)
    bar = _progress_bar()
    deadline = time.monotonic() + args.wait
    waiting = False
    try:
        while True:
            try:
                report = services.reindex(
                    full=args.full, progress=bar.update if bar else None, who="command line"
                )
                break
            except IndexBusy as exc:  # with --wait: another process (a shard starting too) is indexing
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
                if not waiting:
                    holder = f" (started by {exc.holder})" if exc.holder else ""
                    print(
                        f"A reindex is already running{holder}; waiting up to {args.wait:g} s for it to "
                        "finish, then indexing what it left",
                        file=sys.stderr,
                        flush=True,
                    )
                    waiting = True
                time.sleep(min(1.0, left))
    finally:
        if bar:
            bar.close()
    if args.json:
        print_json(report.to_json())
        return 0
    print(f"Indexed {services.settings.corpus_dir}: {report.summary()}")
    for skipped in report.skipped:
        print(f"  skipped {skipped.path}: {skipped.error}")
    return 0


class _Bar:
    """A tqdm bar on a terminal; nothing when stderr is not one."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self._bars: dict[str, Any] = {}  # one line per stage: articles done, chunks embedded

    def update(self, stage: str, done: int, total: int) -> None:
        bar = self._bars.get(stage)
        if bar is None:
            bar = self._bars[stage] = self._tqdm(
                total=total,
                desc=stage,
                unit="chunk" if stage == "embedding" else "article",
                file=sys.stderr,
                leave=False,
                position=len(self._bars),
            )
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars = {}


def _progress_bar() -> _Bar | None:
    return _Bar() if sys.stderr.isatty() else None


def cmd_search(args: argparse.Namespace) -> int:
    services = _services(args)
    result = services.searcher.search(args.question, k=args.k, mode=args.mode)
    if args.json:
        print_json(
            [
                {
                    "rank": i,
                    "chunk_id": p.chunk_id,
                    "doc_id": p.doc_id,
                    "title": p.chunk.title,
                    "published": p.chunk.published,
                    "url": p.chunk.url,
                    "score": round(p.score, 5),
                    "dense": None if p.dense is None else round(p.dense, 4),
                    "keyword_rank": p.keyword_rank,
                    "dense_rank": p.dense_rank,
                    "text": p.text,
                }
                for i, p in enumerate(result.passages, start=1)
            ]
        )
        return 0
    for i, p in enumerate(result.passages, start=1):
        snippet = " ".join(p.text.split())[:220]
        print(f"{i}. [{p.score:.4f}] {p.doc_id} — {p.chunk.title} ({p.chunk.published or 'undated'})")
        print(f"   {snippet}")
    if not result.passages:
        print("No passages found.")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    stats = _services(args).stats()
    if args.json:
        print_json(stats.to_json())
        return 0
    vectors = "unavailable" if stats.vectors is None else str(stats.vectors)
    print(
        f"Articles: {stats.articles}\nChunks: {stats.chunks}\nVectors: {vectors}\nModel: {stats.model}\n"
        f"Data directory: {stats.data_dir}\nVector store: {stats.vector_store}\n"
        f"Last index: {stats.last_index_at or 'never'}"
    )
    if stats.reindexing:
        print(f"Reindexing now: started by {stats.reindexing}")
    if stats.runs:
        print("Recent reindexes:")
    for run in stats.runs[:3]:
        print(f"  {run.started_at}  {run.outcome}  {run.who} (pid {run.pid} on {run.host}): {run.summary}")
    if stats.vectors_problem:
        print(f"Warning: {stats.vectors_problem}: run `python -m retrieval index`")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree for every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="index folder (default: DATA_DIR or ./data)")
    common.add_argument("--json", action="store_true", help="machine-readable output")
    common.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")

    parser = argparse.ArgumentParser(
        prog="python -m retrieval", description="Index and query the coalition corpus."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("index", parents=[common], help="index the corpus incrementally")
    p.add_argument("--corpus", help="articles folder (default: CORPUS_DIR or corpus/articles)")
    p.add_argument(
        "--full", action="store_true", help="re-embed every article (also rebuilds for a new model)"
    )
    p.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when another reindex is running, wait up to SECONDS for it to finish instead of stopping "
        "(a container's start, where several shards index at once)",
    )
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", parents=[common], help="show the best passages for a question")
    p.add_argument("question")
    p.add_argument("--k", type=_positive_int, default=None, help="how many passages (default: RETRIEVAL_K)")
    p.add_argument("--mode", choices=["hybrid", "dense", "keyword"], default=None)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("stats", parents=[common], help="what is indexed")
    p.set_defaults(func=cmd_stats)

    from retrieval import cli_answers, cli_gaps, cli_members, cli_registry

    cli_members.register(sub, common)
    cli_answers.register(sub, common)
    cli_registry.register(sub, common)
    cli_gaps.register(sub, common)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.func(args))
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except IndexBusy as exc:
        holder = f", started by {exc.holder}" if exc.holder else ""
        print(f"error: {exc}{holder}; wait for it to finish, then run the command again", file=sys.stderr)
        return 1
    except RetrievalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `... | head`: the reader left; not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a broken data folder, disk, catalog or vector store: one line with the fix
        failure = explain(
            exc, Path(args.data_dir) if getattr(args, "data_dir", None) else get_settings().data_dir
        )
        if failure is None:
            raise
        print(f"error: {failure}", file=sys.stderr)
        return 1
