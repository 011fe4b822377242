"""`python -m retrieval registry pending|approve ID|reject ID|date ID DATE|undo|history|auto [T]`: the members
registry's proposals, decided from the command line (the same editor as the bot's /registry). An approval
that is news is posted in watched channels by the bot at its next look (bot/announcer.py)."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from retrieval.members_registry import SHORT_NAMES, Member, human_date
from retrieval.proposal_types import Decision, Proposal
from retrieval.registry_editor import PendingProposal
from retrieval.registry_proposals import change_line, conflict_line


def _who() -> str:
    """Who decides from the command line: the login name, when there is one."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"


def _editor(args: argparse.Namespace) -> Any:  # -> RegistryEditor (Services imported lazily)
    from retrieval.cli import settings_from
    from retrieval.services import Services

    return Services(settings_from(args)).registry_editor


def render_pending(pending: list[PendingProposal]) -> str:
    """Each pending proposal: the change, its conflict, the sentence and its article."""
    if not pending:
        return "No pending registry proposals."
    lines = [f"{len(pending)} pending registry proposal{'s' if len(pending) != 1 else ''}:"]
    for item in pending:
        p = item.proposal
        lines.append(f"#{p.id}  {change_line(p)}  [confidence {p.confidence:.2f}]")
        lines.append(f"     {conflict_line(p, item.current)}")
        lines.append(f"     “{p.sentence}”")
        lines.append(f"     article: {p.article} (sentence {p.sentence_id})")
        if p.edited_by:
            lines.append(f"     date set by {p.edited_by} at {p.edited_at}")
    lines.append(
        "Approve with `registry approve ID`, reject with `registry reject ID`, date with `registry date ID YYYY-MM-DD`."
    )
    return "\n".join(lines)


def render_decision(d: Decision) -> str:
    """One history line: when, who, what, and whether it was undone."""
    what = {"approve": "approved", "reject": "rejected", "undo": "undid"}[d.action]
    target = f"proposal #{d.proposal_id} ({d.member}, {SHORT_NAMES.get(d.coalition, d.coalition)})"
    if d.action == "undo":
        target = f"the decision on {target}"
    undone = f" — undone by {d.undone_by} at {d.undone_at}" if d.undone else ""
    return f"{d.at}  {d.who} {what} {target}{undone}"


def _row_line(m: Member) -> str:
    status = "" if m.status == "member" else f" [{m.status}]"
    return f"{m.member} — {SHORT_NAMES[m.coalition]}: {human_date(m.joined)}{status}, article {m.article}"


def _proposal_json(p: Proposal, current: Member | None = None) -> dict[str, object]:
    data: dict[str, object] = dict(p.__dict__)
    data["registry_now"] = current.to_json() if current else None
    return data


def cmd_pending(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json

    pending = _editor(args).pending()
    if args.json:
        print_json([_proposal_json(item.proposal, item.current) for item in pending])
    else:
        print(render_pending(pending))
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json

    approval = _editor(args).approve(args.id, _who())
    if args.json:
        print_json(
            {"proposal": approval.proposal.id, "row": approval.row.to_json(), "previous": approval.previous}
        )
        return 0
    print(f"Approved proposal #{approval.proposal.id}: {_row_line(approval.row)}.")
    print("members.csv was updated and the registry reloaded; `registry undo` takes it back.")
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json

    decision = _editor(args).reject(args.id, _who())
    if args.json:
        print_json(decision.__dict__)
        return 0
    print(
        f"Rejected proposal #{args.id} ({decision.member}, {SHORT_NAMES[decision.coalition]}); it will not be proposed again."
    )
    return 0


def cmd_date(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json

    proposal = _editor(args).edit_date(args.id, args.date, _who())
    if args.json:
        print_json(_proposal_json(proposal))
        return 0
    print(f"Proposal #{proposal.id} now reads: {change_line(proposal)}")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json

    undo = _editor(args).undo(_who())
    if args.json:
        print_json(
            {
                "undone": undo.undone.__dict__,
                "restored": undo.restored.to_json() if undo.restored else None,
            }
        )
        return 0
    d = undo.undone
    if d.action == "reject":
        print(
            f"Undid the rejection of proposal #{d.proposal_id} ({d.member}, {SHORT_NAMES[d.coalition]}); it is pending again."
        )
    elif undo.restored is not None:
        print(
            f"Undid the approval of proposal #{d.proposal_id}; the registry row is back: {_row_line(undo.restored)}."
        )
    else:
        print(
            f"Undid the approval of proposal #{d.proposal_id}; {d.member} is no longer listed in "
            f"{SHORT_NAMES[d.coalition]}. "
            "The proposal is pending again."
        )
    return 0


def cmd_auto(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json, settings_from
    from retrieval.services import Services

    services = Services(settings_from(args))
    if args.threshold is None:
        threshold = services.auto_approve_threshold()
    else:
        threshold = services.set_auto_approve_threshold(args.threshold)
    if args.json:
        print_json({"auto_approve_threshold": threshold})
    elif threshold is None:
        print("Auto-approval is off: an admin approves each proposal.")
    else:
        print(
            f"Auto-approval is on: news read with confidence {threshold:.2f} or more, with a date the article "
            "gives, is approved as it is read (and announced in watched channels)."
        )
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from retrieval.cli import print_json

    decisions = _editor(args).history(args.limit)
    if args.json:
        print_json([d.__dict__ for d in decisions])
    elif not decisions:
        print("No registry decisions yet.")
    else:
        print("\n".join(render_decision(d) for d in decisions))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `registry` and its subcommands to the CLI."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--registry", help="members CSV (default: REGISTRY_PATH or corpus/members.csv)")
    p = sub.add_parser(
        "registry",
        help="review members registry proposals read from the articles: pending, approve, reject, undo",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    q = actions.add_parser(
        "pending", parents=[common, options], help="list the proposals waiting for a decision"
    )
    q.set_defaults(func=cmd_pending)
    q = actions.add_parser(
        "approve",
        parents=[common, options],
        help="write a proposal's row into members.csv and reload the registry",
    )
    q.add_argument("id", type=int, help="the proposal's number (see `registry pending`)")
    q.set_defaults(func=cmd_approve)
    q = actions.add_parser(
        "reject", parents=[common, options], help="reject a proposal (it is not proposed again)"
    )
    q.add_argument("id", type=int, help="the proposal's number (see `registry pending`)")
    q.set_defaults(func=cmd_reject)
    q = actions.add_parser(
        "date", parents=[common, options], help="set a pending proposal's date before approving it"
    )
    q.add_argument("id", type=int, help="the proposal's number (see `registry pending`)")
    q.add_argument("date", help="YYYY-MM-DD, YYYY-MM or YYYY")
    q.set_defaults(func=cmd_date)
    q = actions.add_parser(
        "undo",
        parents=[common, options],
        help="take back the latest approval (restoring the previous row) or rejection",
    )
    q.set_defaults(func=cmd_undo)
    q = actions.add_parser(
        "auto",
        parents=[common, options],
        help="show or set auto-approval: proposals read with at least this confidence are approved (0: off)",
    )
    q.add_argument("threshold", type=float, nargs="?", help="a confidence from 0 to 1; 0 turns it off")
    q.set_defaults(func=cmd_auto)
    q = actions.add_parser("history", parents=[common, options], help="the latest decisions, newest first")
    q.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    q.set_defaults(func=cmd_history)
