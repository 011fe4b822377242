"""Propose, don't write: membership news the members registry does not hold becomes a proposal for an admin.

When an article is indexed or updated, the membership news detector reads it (retrieval/membership_news.py)
and each event is set against the registry (`compare_with_registry`):

- a member the registry does not list in that coalition is proposed as a new row;
- a later status than the row's (announced -> member, unconfirmed -> announced or member) is proposed as a
  status change;
- a joining or signing whose date disagrees with a member's row is proposed as a date change;
- anything the registry already agrees with, an announcement of a member that has since signed, an undated
  report about a listed member, and a withdrawal (the registry has no status for one) are not proposals.

The proposal's date is the most precise registry date the report supports: a day, month or year as the
sentence gives it; for a week, or a report dated only by its publication, the month (or year) the whole
span lies in. Nothing here writes the registry: retrieval/registry_editor.py does, when an admin approves.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence

from retrieval.documents import Article
from retrieval.members_registry import SHORT_NAMES, Member, Registry, human_date
from retrieval.membership_news import MembershipEvent, MembershipNews, compare_with_registry
from retrieval.proposal_types import NewProposal, Proposal

log = logging.getLogger(__name__)

# How far along a member is: a proposal moves a row only forwards.
STATUS_RANK = {"unconfirmed": 0, "announced": 1, "member": 2}
EXACT_PRECISIONS = ("day", "month", "year")


def proposal_status(event: MembershipEvent) -> str:
    """The registry status an event reports: an announcement is 'announced', a joining or signing 'member'."""
    return "announced" if event.action == "announced" else "member"


def registry_date(event: MembershipEvent) -> str:
    """The most precise registry date the event's report supports ('' when it gives none)."""
    if event.precision in EXACT_PRECISIONS:
        return event.date
    period = event.period
    if period is None:
        return ""
    start, end = period
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}" if start.year == end.year else ""


def proposals_for(events: Sequence[MembershipEvent], registry: Registry) -> list[NewProposal]:
    """The events the registry does not already hold, as proposals (one per key, the most confident)."""
    comparison = compare_with_registry(events, registry)
    disagreeing = {id(event) for event, _ in comparison.date_disagrees}
    rows = {(m.member, m.coalition): m for m in registry.rows}
    chosen: dict[tuple[str, str, str, str], NewProposal] = {}
    for event in events:
        if event.action == "withdrew":
            continue
        status = proposal_status(event)
        row = rows.get((event.member, event.coalition))
        if row is None:
            conflict = ""
        elif STATUS_RANK[status] > STATUS_RANK.get(row.status, 0):
            conflict = "status"
        elif status == row.status == "member" and id(event) in disagreeing:
            conflict = "date"
        else:
            continue
        proposal = NewProposal(
            coalition=event.coalition,
            member=event.member,
            status=status,
            date=registry_date(event),
            precision=event.precision,
            action=event.action,
            sentence=event.sentence,
            article=event.article,
            sentence_id=event.sentence_id,
            conflict=conflict,
            registry_row=json.dumps(row.to_json(), ensure_ascii=False) if row else "",
            confidence=round(event.confidence, 2),
            ordinal=event.ordinal,
        )
        known = chosen.get(proposal.key)
        if known is None or proposal.confidence > known.confidence:
            chosen[proposal.key] = proposal
    return list(chosen.values())


def proposals_from_articles(detector: MembershipNews, articles: Iterable[Article]) -> list[NewProposal]:
    """Read the articles with the detector and propose what its registry does not hold."""
    events = [e for article in articles for e in detector.in_article(article)]
    return proposals_for(events, detector.registry)


# -- plain words for a proposal (the command line and the bot say the same) ------------------------------
def change_line(proposal: Proposal) -> str:
    """'Vietnam — Artemis Accords: signed 3 March 2026' (what approving it would write)."""
    if proposal.status == "member":
        verb = "signed" if proposal.coalition == "artemis_accords" else "joined"
    else:
        verb = "signing announced" if proposal.coalition == "artemis_accords" else "joining announced"
    when = human_date(proposal.date) if proposal.date else "no date given"
    return f"{proposal.member} — {SHORT_NAMES[proposal.coalition]}: {verb} {when}"


def conflict_line(proposal: Proposal, current: Member | None) -> str:
    """How the proposal stands against the registry's row now (not only when it was proposed)."""
    if current is None:
        if proposal.conflict:
            return "The registry no longer lists it in this coalition: approving adds it."
        return "New: the registry does not list it in this coalition."
    now = f"{current.status}, {human_date(current.joined)}"
    if current.status == proposal.status and current.joined == proposal.date:
        return f"The registry already says so ({now}): reject it, or approve to cite this article instead."
    if current.status != proposal.status:
        return f"Status change: the registry has it as {now}."
    return f"Date differs: the registry says {human_date(current.joined)}."
