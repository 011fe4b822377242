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

    p = sub.add_parser(
        "eval",
        parents=[common],
        help="evaluate answers on the tuning and frozen test splits, clean and perturbed",
    )
    p.add_argument("--questions", type=Path, default=REPO / "tests" / "data" / "questions.jsonl")
    p.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    p.add_argument(
        "--modes",
        nargs="+",
        choices=["dense", "keyword", "hybrid"],
        default=["dense", "keyword", "hybrid"],
        help="retrieval modes for hit@5 and MRR (answers always use the configured mode)",
    )
    p.add_argument("--split", choices=["tuning", "test"], help="only one split")
    p.add_argument("--no-perturb", action="store_true", help="clean questions only")
    p.add_argument("--limit", type=int, default=0, help="only the first N questions of each split")
    p.add_argument(
        "--membership-sentences",
        type=Path,
        default=REPO / "tests" / "data" / "membership_sentences.jsonl",
        help="labelled sentences for the membership news detector",
    )
    p.add_argument(
        "--membership-only",
        action="store_true",
        help="only the membership news detection table (printed; the report is not rewritten)",
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "ingest", parents=[common], help="fetch articles by URL (or take files) into the corpus"
    )
    p.add_argument("urls", nargs="*", help="http(s) links to articles")
    p.add_argument("--file", type=Path, action="append", help="a .md, .txt, .html or .pdf file (repeatable)")
    p.add_argument("--source-url", help="the public link to cite for --file")
    p.add_argument(
        "--published", help="the date of a --file that does not carry one (YYYY-MM-DD); never guessed"
    )
    p.set_defaults(func=cmd_ingest)


# the questions' "now" ("last year" = 2025), so figures do not drift with the calendar
EVAL_TODAY = "2026-11-27"


def cmd_eval(args: argparse.Namespace) -> int:
    import datetime as dt

    from retrieval.cli import settings_from
    from retrieval.evaluation import (
        SPLITS,
        answer_all,
        calibrate,
        calibration_table,
        detection_table,
        figures,
        load_questions,
        markdown_table,
        perturbed,
        retrieval_figures,
        retrieval_table,
        write_report,
    )
    from retrieval.services import Services

    services = Services(settings_from(args))
    membership = membership_news_figures(services, args.membership_sentences)
    if args.membership_only:
        print(detection_table(membership))
        return 0
    answerer = services.offline_answerer
    answerer.reading.today = dt.date.fromisoformat(EVAL_TODAY)
    answerer.warm_up()
    questions = load_questions(args.questions)
    splits = [args.split] if args.split else list(SPLITS)
    chosen = []
    for split in splits:
        part = [q for q in questions if q.split == split]
        chosen += part[: args.limit] if args.limit else part
    registry = services.registry.get()
    names = sorted(set(registry.names()) | {"ILRS", "Artemis", "Accords", "Artemis Accords"})
    variants = [(split, [q for q in chosen if q.split == split]) for split in splits]
    if not args.no_perturb:
        copies = perturbed(chosen, names)
        variants = [
            v
            for split in splits
            for v in (
                (split, [q for q in chosen if q.split == split]),
                (f"{split} perturbed", [q for q in copies if q.split == split]),
            )
        ]

    def ask(question: str, context: str | None) -> Any:
        return answerer.answer(question, context=context)

    ask("warm up: when did egypt join the ilrs", None)
    table, tuning_misses, tuning_clean = [], [], []
    for name, part in variants:
        runs = answer_all(part, ask)
        table.append(figures(name, runs))
        if name.startswith("tuning"):
            tuning_misses += [r for r in runs if not r.right or r.valid is False or r.style]
        if name == "tuning":
            tuning_clean = runs
    calibration = ""
    if tuning_clean:
        saved = answerer.refuse_below
        answerer.refuse_below = 0.0
        try:
            loose = answer_all([r.q for r in tuning_clean], ask)
        finally:
            answerer.refuse_below = saved
        calibration = calibration_table(calibrate(loose), saved)
    retrieval = [
        (split, mode, *retrieval_figures([q for q in chosen if q.split == split], services.searcher, mode))
        for split in splits
        for mode in args.modes
    ]
    # the keyword half of hybrid retrieval comes from the catalog: say which one was measured
    store = "PostgreSQL" if services.settings.database_url else "SQLite"
    header = (
        f"# Evaluation: {len(chosen)} questions ({', '.join(f'{s} {sum(1 for q in chosen if q.split == s)}' for s in splits)}"
        f"), offline answerer, {services.settings.retrieval_mode} retrieval, {services.embedder.name}, "
        f"{store} catalog\n\n"
        "Perturbed copies: chatter before and after, Discord mentions, emoji, lower case without punctuation, a typo "
        "in a common word, a typo in a name, and all at once (retrieval/perturb.py; the test split uses a held-out "
        f"pool of phrases). Relative dates are read as of {EVAL_TODAY}. Latency is per answer on this machine, warm."
    )
    md, png = write_report(args.out, table, retrieval, calibration, tuning_misses, header, membership)
    if args.json:
        print(json.dumps([{k: v for k, v in f.__dict__.items()} for f in table]))
    else:
        print(markdown_table(table))
        print(f"\nRetrieval ({store} catalog):\n{retrieval_table(retrieval)}")
        if calibration:
            print(f"\nRefusal threshold (tuning, clean):\n{calibration}")
        print(f"\nMembership news detection:\n{detection_table(membership)}")
        print(f"\nReport: {md}\nChart: {png}")
    return 0


def membership_news_figures(services: Any, path: Path) -> list[Any]:
    """Precision and recall of the membership news detector on the labelled sentences, tuning and test split."""
    import datetime as dt

    from retrieval.evaluation import SPLITS, detection_figures, load_membership_sentences

    detector = services.membership_news()

    def detect(item: Any) -> list[Any]:
        published = dt.date.fromisoformat(item.published)
        return [
            e.key
            for e in detector.in_sentence(item.sentence, published, context_coalition=item.article_coalition)
        ]

    items = load_membership_sentences(path)
    # "fresh": sentences written after the detector and run once, never tuned on
    splits = [s for s in (*SPLITS, "fresh") if any(i.split == s for i in items)]
    return [detection_figures(split, [i for i in items if i.split == split], detect) for split in splits]


def cmd_ingest(args: argparse.Namespace) -> int:
    from retrieval.cli import settings_from
    from retrieval.services import Services

    services = Services(settings_from(args))
    results = []
    status = 0
    jobs: list[dict[str, Any]] = [{"url": u} for u in args.urls]
    for path in args.file or []:
        jobs.append(
            {
                "data": path.read_bytes(),
                "filename": path.name,
                "source_url": args.source_url or "",
                "published": args.published or "",
            }
        )
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
