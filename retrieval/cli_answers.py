"""Command line: `ask` one question, or a batch from standard input as JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from retrieval.answer_types import Answer
from retrieval.errors import RetrievalError
from retrieval.quoting import neutralise, safe_url

REPO = Path(__file__).resolve().parent.parent


def render_answer_text(answer: Answer) -> str:
    """The answer, then a numbered Sources list (title — outlet, date, link); titles and outlets are
    article data, so their markup is neutralised like any quoted text."""
    lines = [answer.text, ""]
    if answer.citations:
        lines.append("Closest sources:" if answer.refused else "Sources:")
        for c in answer.citations:
            meta = ", ".join(x for x in (neutralise(c.outlet), c.published) if x)
            url = safe_url(c.url)
            lines.append(f"[{c.n}] {neutralise(c.title)} — {meta}" + (f" <{url}>" if url else ""))
    return "\n".join(lines).rstrip()


def cmd_ask(args: argparse.Namespace) -> int:
    from retrieval.cli import settings_from
    from retrieval.services import Services

    services = Services(settings_from(args))
    if args.question:
        answer = services.answerer.answer(" ".join(args.question))
        if args.json:
            print(json.dumps(answer.to_json(), ensure_ascii=False))
        else:
            print(render_answer_text(answer))
        return 0
    # Batch: one question per line in, one JSON object per line out; the model and index load once.
    status = 0
    for line in sys.stdin:
        question = line.strip()
        if not question:
            continue
        try:
            out: dict[str, Any] = services.answerer.answer(question).to_json()
        except RetrievalError as exc:
            out = {"question": question, "error": str(exc)}
            status = 1
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return status


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `ask` to the CLI."""
    p = sub.add_parser(
        "ask", parents=[common], help="answer a question with citations (or JSON lines from stdin)"
    )
    p.add_argument("question", nargs="*", help="the question; omit to read one per line from standard input")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", parents=[common], help="evaluate retrieval and answers on the development set")
    p.add_argument("--dev-set", type=Path, default=REPO / "tests" / "data" / "qa_dev.jsonl")
    p.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    p.add_argument("--modes", nargs="+", choices=["dense", "keyword", "hybrid"])
    p.add_argument("--limit", type=int, default=0, help="only the first N questions")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "ingest", parents=[common], help="fetch articles by URL (or take files) into the corpus"
    )
    p.add_argument("urls", nargs="*", help="http(s) links to articles")
    p.add_argument("--file", type=Path, action="append", help="a .md, .txt, .html or .pdf file (repeatable)")
    p.add_argument("--source-url", help="the public link to cite for --file")
    p.set_defaults(func=cmd_ingest)


def cmd_eval(args: argparse.Namespace) -> int:
    from retrieval.cli import settings_from
    from retrieval.evaluation import (
        MODES,
        calibrate,
        calibration_table,
        evaluate_mode,
        load_dev_set,
        markdown_table,
        write_report,
    )
    from retrieval.services import Services

    services = Services(settings_from(args))
    questions = load_dev_set(args.dev_set)
    if args.limit:
        questions = questions[: args.limit]
    results = [
        evaluate_mode(questions, services.searcher, services.offline_answerer, mode)
        for mode in (args.modes or MODES)
    ]
    answerer = services.offline_answerer
    table = calibration_table(calibrate(questions, answerer), answerer.refuse_below)
    md, png = write_report(
        results, args.out, len(questions), sum(1 for q in questions if not q.answerable), table
    )
    if args.json:
        print(json.dumps([{k: v for k, v in r.__dict__.items() if k != "failures"} for r in results]))
    else:
        print(markdown_table(results))
        print(f"\nRefusal threshold (hybrid):\n{table}")
        print(f"\nReport: {md}\nChart: {png}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from retrieval.cli import settings_from
    from retrieval.services import Services

    services = Services(settings_from(args))
    results = []
    status = 0
    jobs: list[dict[str, Any]] = [{"url": u} for u in args.urls]
    for path in args.file or []:
        jobs.append({"data": path.read_bytes(), "filename": path.name, "source_url": args.source_url or ""})
    for job in jobs:
        label = job.get("url") or job.get("filename")
        try:
            result = services.ingest(**job, who="command line")
        except RetrievalError as exc:
            status = 1
            results.append({"input": label, "error": str(exc)})
            if not args.json:
                print(f"error: {label}: {exc}", file=sys.stderr)
            continue
        results.append(
            {
                "input": label,
                "doc_id": result.doc_id,
                "title": result.title,
                "published": result.published,
                "chunks": result.chunks,
                "updated": result.updated,
                "path": str(result.path),
                "skipped": [{"path": s.path, "error": s.error} for s in result.skipped],
            }
        )
        if not args.json:
            verb = "Updated" if result.updated else "Added"
            print(
                f"{verb} {result.doc_id}: “{neutralise(result.title)}” ({result.published}), "
                f"{result.chunks} chunks indexed"
            )
            for skipped in result.skipped:  # what the reindex after it could not use
                print(f"  skipped {skipped.path}: {skipped.error}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    return status
