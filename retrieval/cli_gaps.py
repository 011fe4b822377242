"""`python -m retrieval gaps [--days N] [--json]`: the questions refused or voted 👎 lately, grouped by
meaning, each group with the closest article (the same report as the bot's /gaps)."""

from __future__ import annotations

import argparse
from typing import Any

from retrieval.errors import BadInput
from retrieval.gaps import DEFAULT_DAYS, MAX_DAYS, GapGroup, GapReport, check_days, find_gaps, places_named


def _days(text: str) -> int:
    try:
        return check_days(int(text))
    except (ValueError, BadInput) as exc:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_DAYS}") from exc


def _counts(group: GapGroup) -> str:
    parts = [f"{group.count} question{'s' if group.count != 1 else ''}"]
    detail = []
    if group.refused:
        detail.append(f"{group.refused} refused")
    if group.down_votes:
        detail.append(f"{group.down_votes} 👎")
    return parts[0] + (f" ({', '.join(detail)})" if detail else "")


def render_gaps(report: GapReport) -> str:
    """The report as text: one numbered block per group, largest first."""
    period = report.period
    since = report.since.strftime("%Y-%m-%d %H:%M UTC")
    if not report.groups:
        return f"No questions were refused or voted 👎 in {period} (since {since})."
    groups = len(report.groups) + report.more_groups
    lines = [
        f"Coverage gaps in {period} (since {since}): {report.questions} question"
        f"{'s' if report.questions != 1 else ''} refused or voted 👎, in {groups} group{'s' if groups != 1 else ''}."
    ]
    if report.capped:
        lines.append(f"Only the newest {report.questions} questions were grouped.")
    for n, group in enumerate(report.groups, start=1):
        lines.append(f"{n}. {_counts(group)}: “{group.example}”")
        others = [q for q in group.distinct_questions() if q != group.example]
        for other in others:
            lines.append(f"     also: “{other}”")
        if group.closest is None:
            lines.append("     closest article: none (nothing is indexed)")
        else:
            c = group.closest
            link = f" <{c.url}>" if c.url else ""
            lines.append(f"     closest article: {c.title} ({c.doc_id}){link}")
        for reason in group.reasons:
            lines.append(f"     👎 “{reason}”")
    if report.more_groups:
        lines.append(f"…and {report.more_groups} smaller group{'s' if report.more_groups != 1 else ''}.")
    return "\n".join(lines)


def cmd_gaps(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json, settings_from
    from retrieval.feedback import open_feedback_store
    from retrieval.services import Services

    settings = settings_from(args)
    services = Services(settings)
    feedback = open_feedback_store(settings)
    try:
        report = find_gaps(
            feedback, services.embedder, services.searcher, args.days, places=places_named(services)
        )
    finally:
        feedback.close()
        services.close()
    if args.json:
        print_json(report.to_json())
    else:
        print(render_gaps(report))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `gaps` to the CLI."""
    p = sub.add_parser(
        "gaps",
        parents=[common],
        help="questions refused or voted down lately, grouped, with the closest article: what to add next",
    )
    p.add_argument(
        "--days",
        type=_days,
        default=DEFAULT_DAYS,
        help=f"the period, 1 to {MAX_DAYS} days (default {DEFAULT_DAYS})",
    )
    p.set_defaults(func=cmd_gaps)
