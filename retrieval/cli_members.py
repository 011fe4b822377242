"""Command line look-ups in the members registry: members, member, overlap."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from retrieval.members_registry import STATUSES, Member, MemberList, Registry, RegistryHolder
from retrieval.membership_news import MembershipEvent, RegistryComparison


def _registry(args: argparse.Namespace) -> Registry:
    from retrieval.cli import settings_from

    return RegistryHolder(settings_from(args).registry_path).get()


def member_line(m: Member, *, with_coalition: bool = False) -> str:
    """'Thailand — 5 April 2024 (#9)' plus status and notes where they matter."""
    order = f" (#{m.order})" if m.order is not None else ""
    prefix = f"{SHORT[m.coalition]}: " if with_coalition else ""
    status = "" if m.status == "member" else f" [{m.status}]"
    return f"{prefix}{m.member} — {m.joined_human}{order}{status}"


SHORT = {"artemis_accords": "Artemis Accords", "ilrs": "ILRS"}


def render_member_list(listing: MemberList, *, show_notes: bool = False) -> str:
    """The count line, then one numbered line per member, then those not counted."""
    lines = [listing.count_line()]
    for i, m in enumerate(listing.members, start=1):
        lines.append(f"{i:>3}. {member_line(m)}" + (f" — {m.notes}" if show_notes and m.notes else ""))
    if listing.others:
        lines.append("Not counted:")
        lines += [f"     {member_line(m)} — {m.notes}" for m in listing.others]
    return "\n".join(lines)


def render_member(rows: list[Member]) -> str:
    """A member's coalitions with dates, notes and sources."""
    lines = [rows[0].member]
    for m in rows:
        lines.append(f"  {m.summary}")
        if m.notes:
            lines.append(f"    note: {m.notes}")
        lines.append(f"    article: {m.article}; sources: {' '.join(m.sources)}")
    if len({m.coalition for m in rows}) == 1:
        other = "ILRS" if rows[0].coalition == "artemis_accords" else "Artemis Accords"
        lines.append(f"  not listed in the {other}")
    return "\n".join(lines)


def render_overlap(pairs: list[tuple[Member, Member]]) -> str:
    lines = [
        f"Members of both coalitions: {sum(1 for a, b in pairs if a.status == b.status == 'member')} "
        "(plus any marked unconfirmed)"
    ]
    for artemis, ilrs in pairs:
        lines.append(
            f"  {artemis.member}: ILRS {ilrs.joined_human}{'' if ilrs.status == 'member' else ' [' + ilrs.status + ']'}"
            f"; Artemis Accords {artemis.joined_human}{'' if artemis.status == 'member' else ' [' + artemis.status + ']'}"
        )
    return "\n".join(lines)


def cmd_members(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json

    listing = _registry(args).members(
        args.coalition, member_type=args.type, as_of=args.as_of, status=args.status
    )
    if args.json:
        print_json([m.to_json() for m in listing.members + listing.others])
    else:
        print(render_member_list(listing))
    return 0


def cmd_member(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json

    rows = _registry(args).member(args.name)
    if args.json:
        print_json([m.to_json() for m in rows])
    else:
        print(render_member(rows))
    return 0


def cmd_overlap(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json

    pairs = _registry(args).overlap()
    if args.json:
        print_json(
            [{"member": a.member, "artemis_accords": a.to_json(), "ilrs": b.to_json()} for a, b in pairs]
        )
    else:
        print(render_overlap(pairs))
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from retrieval.timeline import render_timeline, timeline_caption

    registry = _registry(args)
    render_timeline(registry, args.coalition, args.out)
    coalitions = (
        [registry.resolve_coalition(args.coalition)] if args.coalition else ["artemis_accords", "ilrs"]
    )
    print(f"Wrote {args.out}: {timeline_caption(registry, coalitions)}")
    return 0


def render_comparison(comparison: RegistryComparison, articles: int) -> str:
    """The registry rows the articles confirm, then every event that does not fit a row, with its sentence."""

    def event_line(e: MembershipEvent) -> str:
        when = f"{e.date} ({e.precision})" if e.date else "undated"
        return f"  {e.member} — {SHORT[e.coalition]} {e.action} {when} [{e.sentence_id}]: {e.sentence}"

    lines = [
        f"Membership news in {articles} articles: {comparison.events} events; "
        f"{len(comparison.found)} of {comparison.rows} registry rows confirmed by an event with the same member, "
        f"coalition and date.",
        f"  agreeing with the registry: {len(comparison.agreeing)}; announcements near a row's date: "
        f"{len(comparison.announcements)}; right member and coalition but undated: {len(comparison.undated)}",
        f"Date disagrees with the registry ({len(comparison.date_disagrees)}):",
    ]
    lines += [f"{event_line(e)}  <- registry {row.joined}" for e, row in comparison.date_disagrees]
    lines.append(f"Member not in the registry for that coalition ({len(comparison.not_in_registry)}):")
    lines += [event_line(e) for e in comparison.not_in_registry]
    lines.append(f"Registry rows no event confirms ({len(comparison.missed)}):")
    lines += [f"  {member_line(m, with_coalition=True)}" for m in comparison.missed]
    return "\n".join(lines)


def cmd_membership_news(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json, settings_from
    from retrieval.documents import load_corpus
    from retrieval.membership_news import compare_with_registry
    from retrieval.services import Services

    services = Services(settings_from(args))
    detector = services.membership_news()
    articles = load_corpus(Path(args.corpus) if args.corpus else services.settings.corpus_dir).articles
    events = [e for a in articles for e in detector.in_article(a)]
    if args.json:
        print_json([e.to_json() for e in events])
        return 0
    print(render_comparison(compare_with_registry(events, detector.registry), len(articles)))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the registry subcommands to the CLI."""
    registry_opt = argparse.ArgumentParser(add_help=False)
    registry_opt.add_argument("--registry", help="members CSV (default: REGISTRY_PATH or corpus/members.csv)")

    p = sub.add_parser(
        "members", parents=[common, registry_opt], help="list a coalition's members in joining order"
    )
    p.add_argument("coalition", help="artemis_accords or ilrs (aliases: artemis, accords)")
    p.add_argument("--type", choices=["country", "organisation"])
    p.add_argument("--as-of", help="only members that had joined by this date (YYYY-MM-DD, YYYY-MM or YYYY)")
    p.add_argument("--status", choices=list(STATUSES))
    p.set_defaults(func=cmd_members)

    p = sub.add_parser(
        "member", parents=[common, registry_opt], help="the coalitions one country or organisation is in"
    )
    p.add_argument("name")
    p.set_defaults(func=cmd_member)

    p = sub.add_parser("overlap", parents=[common, registry_opt], help="members of both coalitions")
    p.set_defaults(func=cmd_overlap)

    p = sub.add_parser("timeline", parents=[common, registry_opt], help="PNG chart of membership over time")
    p.add_argument("--out", type=Path, required=True, help="where to write the PNG")
    p.add_argument("--coalition", help="only this coalition (default: both)")
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser(
        "membership-news",
        parents=[common, registry_opt],
        help="find joining, signing and withdrawal reports in the articles and compare them with the registry",
    )
    p.add_argument("--corpus", help="articles folder (default: CORPUS_DIR or corpus/articles)")
    p.set_defaults(func=cmd_membership_news)
