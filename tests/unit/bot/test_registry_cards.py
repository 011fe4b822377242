"""Registry proposal cards: pure, from plain records; within Discord's limits, article text shown as plain text."""

from __future__ import annotations

import json

import pytest

from bot.registry_cards import APPROVED_COLOUR, approved_card, pending_header, proposal_card, undo_text
from bot.rendering import EMBED_TOTAL_LIMIT, FIELD_VALUE_LIMIT, LIST_COLOUR
from retrieval.catalog import StoredDocument
from retrieval.members_registry import Member
from retrieval.proposal_types import Decision, Proposal
from retrieval.registry_editor import Approval, Undo

LATVIA = Member(
    "artemis_accords", "Latvia", "country", "2025-10", "announced", 60, "latvia", ("https://e.org/l",)
)


def proposal(**changes: object) -> Proposal:
    values: dict[str, object] = {
        "coalition": "artemis_accords",
        "member": "Vietnam",
        "status": "member",
        "date": "2026-03-03",
        "precision": "day",
        "action": "signed",
        "sentence": "Vietnam signed the Artemis Accords on 3 March 2026.",
        "article": "vietnam-signs",
        "sentence_id": "vietnam-signs#0",
        "conflict": "",
        "registry_row": "",
        "confidence": 0.9,
        "id": 4,
        "proposed_date": "2026-03-03",
    }
    values.update(changes)
    return Proposal(**values)  # type: ignore[arg-type]


def document(**changes: object) -> StoredDocument:
    values: dict[str, object] = {
        "doc_id": "vietnam-signs",
        "path": "vietnam.md",
        "content_hash": "x",
        "title": "Vietnam signs the Artemis Accords",
        "published": "2026-03-04",
        "outlet": "Test Wire",
        "url": "https://example.org/vietnam",
        "sources": (),
        "topics": (),
        "n_chunks": 1,
        "indexed_at": "",
    }
    values.update(changes)
    return StoredDocument(**values)  # type: ignore[arg-type]


def decision(action: str = "approve", **changes: object) -> Decision:
    values: dict[str, object] = {
        "id": 1,
        "proposal_id": 4,
        "action": action,
        "who": "admin (Discord user 1)",
        "at": "2026-03-05T10:00:00Z",
        "coalition": "artemis_accords",
        "member": "Vietnam",
        "previous_row": "",
        "new_row": "",
        "previous_csv": "",
    }
    values.update(changes)
    return Decision(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("p", "current", "title", "description"),
    [
        (
            proposal(),
            None,
            "#4 · Vietnam — Artemis Accords: signed 3 March 2026",
            "New: the registry does not list it in this coalition.",
        ),
        (
            proposal(member="Latvia", date="2026-01-20", conflict="status", registry_row=json.dumps({})),
            LATVIA,
            "#4 · Latvia — Artemis Accords: signed 20 January 2026",
            "Status change: the registry has it as announced, October 2025.",
        ),
        (
            proposal(coalition="ilrs", member="Laos", status="announced", date="2026"),
            None,
            "#4 · Laos — ILRS: joining announced 2026",
            "New: the registry does not list it in this coalition.",
        ),
    ],
)
def test_a_proposal_card_says_what_approving_writes_and_how_it_stands_against_the_registry_now(
    p: Proposal, current: Member | None, title: str, description: str
) -> None:
    card = proposal_card(p, current, document())
    assert (card.title, card.description, card.colour) == (title, description, LIST_COLOUR)
    fields = dict(card.fields)
    assert (
        fields["Article"] == "[Vietnam signs the Artemis Accords](https://example.org/vietnam) · 4 Mar 2026"
    )
    assert card.footer == "Read with confidence 0.90 · proposal #4"


def test_an_undated_or_approximate_date_asks_for_edit_date_and_an_edited_one_says_who() -> None:
    assert (
        "The article gives no date: set one with Edit date"
        in dict(proposal_card(proposal(date="", precision=""), None, document()).fields)["Date"]
    )
    assert (
        "reports it as recent, dated by its publication"
        in dict(proposal_card(proposal(date="2026-03", precision="published"), None, document()).fields)[
            "Date"
        ]
    )
    edited = proposal_card(proposal(edited_by="admin (Discord user 1)"), None, document())
    assert dict(edited.fields)["Date"] == "Date set to 3 March 2026 by admin (Discord user 1)."
    assert "Date" not in dict(proposal_card(proposal(), None, document()).fields)


def test_article_text_is_plain_text_and_a_long_sentence_stays_within_discords_limits() -> None:
    hostile = "Vietnam signed [the Accords](https://evil.example) @everyone **now** " + "word " * 400
    card = proposal_card(proposal(sentence=hostile), None, document(title="A [title](https://x.y) <@123>"))
    fields = dict(card.fields)
    assert fields["Sentence"].startswith("“Vietnam signed the Accords @\u200beveryone now word word")
    assert (
        fields["Sentence"].endswith("…”")
        and fields["Article"] == "[A title](https://example.org/vietnam) · 4 Mar 2026"
    )
    assert all(len(value) <= FIELD_VALUE_LIMIT for value in fields.values())
    assert card.size() <= EMBED_TOTAL_LIMIT and len(card.title) <= 256
    assert proposal_card(proposal(article="gone"), None, None).fields[1] == (
        "Article",
        "`gone` (no longer indexed)",
    )


def test_decisions_and_undos_read_as_what_happened() -> None:
    row = Member(
        "artemis_accords", "Vietnam", "country", "2026-03-03", "member", None, "vietnam-signs", ("u",)
    )
    approval = Approval(proposal(), decision(), row, None)
    card = approved_card(approval, document())
    assert (
        card.colour == APPROVED_COLOUR
        and card.title == "Approved #4 · Vietnam — Artemis Accords: signed 3 March 2026"
    )
    assert card.description == (
        "Written into the members registry by admin (Discord user 1), citing the article below. It is a new row. "
        "`/registry undo` takes it back."
    )
    assert dict(card.fields)["Registry row"] == "Vietnam — 3 March 2026, article `vietnam-signs`"
    removed = Undo(decision(), decision("undo", id=2, undoes=1), None)
    assert undo_text(removed) == (
        "Undid the approval of proposal #4: Vietnam is no longer in the registry for that coalition. "
        "The proposal is pending again."
    )
    restored = Undo(decision(), decision("undo", id=2), LATVIA)
    assert "the previous registry row is back (Latvia — October 2025 [announced], article `latvia`)" in (
        undo_text(restored)
    )
    rejected = Undo(decision("reject"), decision("undo", id=2), None)
    assert undo_text(rejected) == "Undid the rejection of proposal #4 (Vietnam): it is pending again."
    assert pending_header(0, 0).startswith("No pending registry proposals.")
    assert pending_header(10, 12).endswith("Showing the oldest 10; decide these to see the rest.")
