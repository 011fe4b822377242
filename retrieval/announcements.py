"""Membership news for watched channels: the sentence an approval announces, and which approvals are news.

An approval is news when it adds a member to a coalition or moves its status on (announced -> member): a
date corrected, or an article cited instead of another, changes nothing a reader would be told about. The
sentence is written from the registry as it is after the approval, so the ordinal is the registry's ("the
57th signatory": the row's order number, else its place among the coalition's countries as /members shows):

    Hungary signed the Artemis Accords on 22 October 2025, the 57th signatory [1].

[1] is the approved row's article (title, outlet, date and link), rendered by the bot as answers cite.
Auto-approval (`auto_approvable`) is decided here too: what an admin has allowed to be written unseen.
"""

from __future__ import annotations

from retrieval.announcement_types import NewAnnouncement
from retrieval.catalog import StoredDocument
from retrieval.members_registry import Member, Registry, fold, human_date
from retrieval.proposal_types import Proposal

AUTO_APPROVE_KEY = (
    "auto_approve_threshold"  # catalog meta: the confidence above which news is approved unseen
)
# what a report must give to be approved unseen: a date as the sentence gives it (not a week, not only the
# article's publication), and news (a new member or a later status), never a correction of a row
AUTO_PRECISIONS = ("day", "month", "year")
AUTO_CONFLICTS = ("", "status")


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 13 -> '13th', 57 -> '57th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def when(date: str) -> str:
    """'on 3 March 2026', 'in March 2026', 'in 2026' (a registry date as a sentence says it)."""
    if not date:
        return ""
    return f"{'on' if date.count('-') == 2 else 'in'} {human_date(date)}"


def place_among_countries(row: Member, registry: Registry) -> int | None:
    """The member's number among its coalition's member countries: the row's own order number when the
    registry has one (the official count), else its place in joining order as /members numbers them; None
    for an organisation, a territory or a member not (yet) counted."""
    if row.member_type != "country" or row.status != "member":
        return None
    if row.order is not None:
        return row.order
    countries = [m for m in registry.members(row.coalition).members if m.member_type == "country"]
    return next((i for i, m in enumerate(countries, start=1) if m.member == row.member), None)


def news_sentence(row: Member, registry: Registry) -> str:
    """'Hungary signed the Artemis Accords on 22 October 2025, the 57th signatory [1].'"""
    at = f" {when(row.joined)}" if row.joined else ""
    place = place_among_countries(row, registry)
    if row.status != "member":
        what = (
            "signing of the Artemis Accords" if row.coalition == "artemis_accords" else "joining of the ILRS"
        )
        return f"{row.member}'s {what} was announced{at} [1]."
    if row.coalition == "artemis_accords":
        tail = f", the {ordinal(place)} signatory" if place else ""
        return f"{row.member} signed the Artemis Accords{at}{tail} [1]."
    if row.member_type == "organisation":
        return f"{row.member} joined the International Lunar Research Station (ILRS) as a partner organisation{at} [1]."
    tail = f", its {ordinal(place)} member country" if place else ""
    return f"{row.member} joined the International Lunar Research Station (ILRS){at}{tail} [1]."


def event_key(coalition: str, member: str, status: str) -> str:
    """What is announced at most once per channel: a member reaching a status in a coalition."""
    return f"{coalition}:{fold(member)}:{status}"


def announcement_for(
    row: Member,
    previous: dict[str, str] | None,
    registry: Registry,
    document: StoredDocument | None,
) -> NewAnnouncement | None:
    """The news an approval makes (None when it is not news: the row's status is unchanged)."""
    if previous is not None and previous.get("status") == row.status:
        return None
    url = (document.url if document else "") or next(iter(row.sources), "")
    return NewAnnouncement(
        event=event_key(row.coalition, row.member, row.status),
        coalition=row.coalition,
        member=row.member,
        text=news_sentence(row, registry),
        title=document.title if document else row.article,
        outlet=document.outlet if document else "",
        published=document.published if document else "",
        url=url,
    )


def parse_threshold(value: str | None) -> float | None:
    """The stored auto-approval threshold (None: auto-approval is off)."""
    try:
        threshold = float(value) if value else 0.0
    except ValueError:
        return None
    return threshold if 0.0 < threshold <= 1.0 else None


def auto_approvable(proposal: Proposal, threshold: float | None) -> bool:
    """Whether a new proposal may be approved unseen: auto-approval on, read with at least that confidence,
    news with a date the sentence gives. A withdrawal is never proposed, let alone approved."""
    return (
        threshold is not None
        and proposal.action != "withdrew"
        and proposal.status in ("member", "announced")
        and proposal.confidence >= threshold
        and bool(proposal.date)
        and proposal.precision in AUTO_PRECISIONS
        and proposal.conflict in AUTO_CONFLICTS
    )
