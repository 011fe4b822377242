"""Registry proposals and their decisions as plain records: what the catalog stores and returns.

A proposal is a membership event read from an article that the members registry does not hold yet (a new
member, a later status, a different date). An admin approves it (the row is written into members.csv),
rejects it, or undoes the last decision; every decision is kept as a `Decision`. No discord import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATES = (PENDING, APPROVED, REJECTED)
APPROVE, REJECT, UNDO = "approve", "reject", "undo"
# What the proposal disagrees with in the registry: nothing (a new member), the row's status, or its date.
CONFLICTS = ("", "status", "date")


@dataclass(frozen=True)
class NewProposal:
    """A registry change read from one sentence of an article, before it is stored."""

    coalition: str
    member: str
    status: str  # "member" | "announced"
    date: str  # a registry date ('YYYY-MM-DD', 'YYYY-MM', 'YYYY'), '' when the article gives none
    precision: str  # the detector's: day | week | month | year | published | ''
    action: str  # the detector's: joined | signed | announced
    sentence: str
    article: str  # the article's id
    sentence_id: str
    conflict: str  # "" | "status" | "date"
    registry_row: str  # the registry's row it disagrees with, as JSON ('' for a new member)
    confidence: float
    ordinal: int | None = None  # "the 61st signatory": the row's order number

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes two proposals the same: a re-index or another article proposes it only once."""
        return (self.coalition, self.member, self.status, self.date)


@dataclass(frozen=True)
class Proposal(NewProposal):
    """A stored proposal: its number, its state, and who decided or edited it."""

    id: int = 0
    state: str = PENDING
    proposed_date: str = ""  # the date as detected (the key); `date` is what an admin may have edited
    created_at: str = ""
    decided_by: str = ""
    decided_at: str = ""
    edited_by: str = ""
    edited_at: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.coalition, self.member, self.status, self.proposed_date)

    @property
    def conflicting_row(self) -> dict[str, object] | None:
        """The registry row it disagreed with when proposed (None for a new member)."""
        return json.loads(self.registry_row) if self.registry_row else None


@dataclass(frozen=True)
class Decision:
    """One entry of the registry's history: an approval, a rejection, or the undoing of one."""

    id: int
    proposal_id: int
    action: str  # approve | reject | undo
    who: str
    at: str  # ISO time, UTC
    coalition: str
    member: str
    previous_row: str  # the registry row before, as JSON ('' when there was none, or for a rejection)
    new_row: str  # the row written, as JSON ('' for a rejection, or an undo that removed the row)
    previous_csv: str  # the previous row exactly as members.csv had it (restored by an undo)
    undone_at: str = ""
    undone_by: str = ""
    undoes: int | None = None  # for an undo: the decision it undid

    @property
    def undone(self) -> bool:
        return bool(self.undone_at)


PROPOSAL_FIELDS = tuple(f.name for f in fields(Proposal))
DECISION_FIELDS = tuple(f.name for f in fields(Decision))
# the columns a store writes for a new proposal (its id, state and the rest come from the store)
NEW_PROPOSAL_COLUMNS = (*(f.name for f in fields(NewProposal)), "proposed_date", "created_at")


def proposal_from_row(row: Mapping[str, Any]) -> Proposal:
    """A Proposal from a stored row with the same column names (either store)."""
    values = {name: row[name] for name in PROPOSAL_FIELDS}
    values["confidence"] = float(values["confidence"])
    return Proposal(**values)


def decision_from_row(row: Mapping[str, Any]) -> Decision:
    """A Decision from a stored row with the same column names (either store)."""
    return Decision(**{name: row[name] for name in DECISION_FIELDS})


def new_proposal_values(proposal: NewProposal, created_at: str) -> tuple[object, ...]:
    """The values of NEW_PROPOSAL_COLUMNS for one new proposal."""
    return (*(getattr(proposal, f.name) for f in fields(NewProposal)), proposal.date, created_at)
