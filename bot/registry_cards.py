"""Registry proposals as embeds, for /registry pending and after each decision: pure, from plain records.

A proposal's card says what approving it would write (member, coalition, status, date), how that stands
against the registry's row now, the sentence it was read from and its article (a clickable title). Article
text is data: the sentence and title are shown as plain text (links, mentions and Markdown neutralised).
"""

from __future__ import annotations

from discord.utils import escape_markdown, escape_mentions

from bot.rendering import (
    FIELD_VALUE_LIMIT,
    LIST_COLOUR,
    MESSAGE_LIMIT,
    NOT_FOUND_COLOUR,
    EmbedPage,
    cut_at_word,
    label,
    masked,
    short_date,
    source_entry,
)
from retrieval.announcement_types import Delivery, Watch
from retrieval.catalog import StoredDocument
from retrieval.members_registry import Member, human_date
from retrieval.proposal_types import Decision, Proposal
from retrieval.registry_editor import Approval, Undo
from retrieval.registry_proposals import change_line, conflict_line

APPROVED_COLOUR = 0x2E9E5B  # green: written into the registry
MAX_SHOWN = 10  # proposals shown by one /registry pending (one message each)
PRECISION_WORDS = {
    "week": "the article gives the week",
    "published": "the article reports it as recent, dated by its publication",
}


def _article_line(proposal: Proposal, document: StoredDocument | None) -> str:
    if document is None:
        return f"`{proposal.article}` (no longer indexed)"
    title = masked(label(document.title), document.url)
    when = f" · {short_date(document.published)}" if document.published else ""
    return cut_at_word(f"{title}{when}", 1000)


def proposal_card(proposal: Proposal, current: Member | None, document: StoredDocument | None) -> EmbedPage:
    """A pending proposal: the change as its title, the registry now, the sentence, the article."""
    fields = [
        ("Sentence", f"“{cut_at_word(label(proposal.sentence), 1000)}”"),
        ("Article", _article_line(proposal, document)),
    ]
    notes = []
    if not proposal.date:
        notes.append("The article gives no date: set one with Edit date before approving.")
    elif proposal.precision in PRECISION_WORDS and not proposal.edited_by:
        notes.append(f"Date: {PRECISION_WORDS[proposal.precision]}; Edit date can make it exact.")
    if proposal.edited_by:
        notes.append(f"Date set to {human_date(proposal.date)} by {label(proposal.edited_by)}.")
    if notes:
        fields.append(("Date", "\n".join(notes)))
    return EmbedPage(
        title=cut_at_word(f"#{proposal.id} · {change_line(proposal)}", 256),
        description=conflict_line(proposal, current),
        colour=LIST_COLOUR,
        fields=fields,
        footer=f"Read with confidence {proposal.confidence:.2f} · proposal #{proposal.id}",
    )


def approved_card(approval: Approval, document: StoredDocument | None) -> EmbedPage:
    """The card after Approve: what was written, by whom, and how to take it back."""
    proposal, row = approval.proposal, approval.row
    was = (
        f"It replaced: {approval.previous['status']}, {human_date(approval.previous['joined'])}."
        if approval.previous
        else "It is a new row."
    )
    return EmbedPage(
        title=cut_at_word(f"Approved #{proposal.id} · {change_line(proposal)}", 256),
        description=(
            f"Written into the members registry by {label(approval.decision.who)}, citing the article below. "
            f"{was} `/registry undo` takes it back."
        ),
        colour=APPROVED_COLOUR,
        fields=[("Article", _article_line(proposal, document)), ("Registry row", _row_text(row))],
    )


def rejected_card(proposal: Proposal, decision: Decision) -> EmbedPage:
    """The card after Reject."""
    return EmbedPage(
        title=cut_at_word(f"Rejected #{proposal.id} · {change_line(proposal)}", 256),
        description=(
            f"Rejected by {label(decision.who)}; it will not be proposed again. `/registry undo` takes it back."
        ),
        colour=NOT_FOUND_COLOUR,
    )


def undo_text(undo: Undo) -> str:
    """What an undo took back, in one or two sentences."""
    d = undo.undone
    if d.action == "reject":
        return f"Undid the rejection of proposal #{d.proposal_id} ({label(d.member)}): it is pending again."
    if undo.restored is not None:
        return (
            f"Undid the approval of proposal #{d.proposal_id}: the previous registry row is back "
            f"({_row_text(undo.restored)}). The proposal is pending again."
        )
    return (
        f"Undid the approval of proposal #{d.proposal_id}: {label(d.member)} is no longer in the registry for "
        "that coalition. The proposal is pending again."
    )


def pending_header(shown: int, total: int) -> str:
    """The line above the proposals' cards."""
    if not total:
        return (
            "No pending registry proposals. New ones appear when an ingested or reindexed article reports a "
            "joining or signing the members registry does not hold."
        )
    more = f" Showing the oldest {shown}; decide these to see the rest." if total > shown else ""
    plural = "s" if total != 1 else ""
    return (
        f"{total} pending registry proposal{plural}, oldest first. Approve writes the row into the members "
        f"registry (citing the article); `/registry undo` takes back the latest decision.{more}"
    )


def _row_text(row: Member) -> str:
    status = "" if row.status == "member" else f" [{row.status}]"
    return f"{label(row.member)} — {human_date(row.joined)}{status}, article `{row.article}`"


# -- membership news in watched channels (/watch) ----------------------------------------------------------
WATCH_NAMES = {"both": "both coalitions", "artemis_accords": "the Artemis Accords", "ilrs": "the ILRS"}


def announcement_post(delivery: Delivery) -> str:
    """The post in a watched channel: the sentence citing [1], then [1] as answers cite a source:

    Vietnam signed the Artemis Accords on 3 March 2026, the 61st signatory [1].
    [1] [Vietnam signs the Artemis Accords](https://…) — Test Wire · 4 Mar 2026
    """
    sentence = cut_at_word(
        escape_mentions(escape_markdown(delivery.text)), MESSAGE_LIMIT - FIELD_VALUE_LIMIT - 1
    )
    return f"{sentence}\n{source_entry(1, delivery.title, delivery.outlet, delivery.published, delivery.url)}"


def watch_line(watch: Watch) -> str:
    """'• <#123> — both coalitions, since 5 Mar 2026 (by admin)', and why posting there stopped, if it did."""
    since = short_date(watch.added_at[:10])
    line = f"• <#{watch.channel_id}> — {WATCH_NAMES.get(watch.coalition, watch.coalition)}, since {since}"
    if watch.broken:
        line += f" — **not posting**: {escape_mentions(escape_markdown(watch.broken))}; run /watch on again once fixed"
    return line
