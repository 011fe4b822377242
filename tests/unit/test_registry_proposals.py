"""Propose, don't write: membership news the registry lacks becomes a proposal when an article is indexed;
an admin approves it (members.csv written back, validated, reloaded), rejects it, or undoes the last
decision. Every test runs on both catalogs (the SQLite file and PostgreSQL)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.errors import ProposalError, StorageError
from retrieval.proposal_types import APPROVED, PENDING, REJECTED
from retrieval.registry_editor import RegistryCsv
from retrieval.services import Services
from tests.conftest import REPO, CatalogBackend
from tests.helpers import write_article, write_sample_corpus

pytestmark = pytest.mark.both_catalogs
A, ILRS = "artemis_accords", "ilrs"

REGISTRY = (
    "coalition,member,member_type,joined,status,order,article,sources,notes\n"
    "artemis_accords,Finland,country,2025-01-21,member,53,finland-artemis,https://example.org/finland-artemis,\n"
    'artemis_accords,Hungary,country,2025-10-22,member,57,hungary-artemis,https://example.org/hungary-artemis,"57th, '
    'in Washington"\n'
    'artemis_accords,Latvia,country,2025-10,announced,60,latvia-announced,https://example.org/latvia-announced,"PENDING: '
    'reported as 60th"\n'
    "ilrs,Belarus,country,2023-10,member,,belarus-ilrs,https://example.org/belarus-ilrs,\n"
    "ilrs,Egypt,country,2023-12-06,member,,egypt-ilrs,https://example.org/egypt-ilrs,\n"
)
VIETNAM = "Vietnam signed the Artemis Accords on 3 March 2026 in Washington, becoming the 61st signatory."


@pytest.fixture
def svc(tmp_path: Path, catalog_backend: CatalogBackend) -> Iterator[Services]:
    """Five small articles, a registry that cites them (all agreeing with them), indexed."""
    corpus = write_sample_corpus(tmp_path / "corpus")
    write_article(
        corpus,
        "hungary-artemis",
        "Hungary signs the Artemis Accords",
        "Hungary signed the Artemis Accords on 22 October 2025, becoming the 57th signatory.",
        published="2025-10-23",
    )
    write_article(
        corpus,
        "latvia-announced",
        "Latvia to join the Artemis Accords",
        "Latvia's government announced on 31 October 2025 that the country would join the Artemis Accords.",
        published="2025-11-01",
    )
    (tmp_path / "members.csv").write_text(REGISTRY, encoding="utf-8")
    services = Services(catalog_backend.settings(tmp_path, corpus=corpus))
    services.reindex()
    yield services
    services.catalog.close()


def add_article(svc: Services, doc_id: str, body: str, published: str = "2026-03-04") -> None:
    write_article(svc.settings.corpus_dir, doc_id, doc_id.replace("-", " "), body, published=published)


def state_of(svc: Services, proposal_id: int) -> str:
    proposal = svc.catalog.proposal(proposal_id)
    assert proposal is not None
    return proposal.state


def csv_text(svc: Services) -> str:
    with open(svc.settings.registry_path, encoding="utf-8", newline="") as f:
        return f.read()


# -- proposals ------------------------------------------------------------------------------------------
def test_an_indexed_article_about_a_new_signatory_becomes_one_pending_proposal(svc: Services) -> None:
    assert svc.catalog.proposals(None) == []  # the corpus agrees with the registry: nothing proposed
    add_article(svc, "vietnam-signs", VIETNAM)
    report = svc.reindex()
    assert report.proposed == 1 and "1 new members registry proposal to review" in report.summary()
    [p] = svc.catalog.proposals()
    assert (p.coalition, p.member, p.status, p.date, p.precision, p.ordinal) == (
        A,
        "Vietnam",
        "member",
        "2026-03-03",
        "day",
        61,
    )
    assert (p.sentence, p.article, p.sentence_id, p.conflict, p.registry_row) == (
        VIETNAM,
        "vietnam-signs",
        "vietnam-signs#0",
        "",
        "",
    )
    assert p.state == PENDING and 0.5 < p.confidence <= 1.0 and p.created_at.endswith("Z")
    assert json.loads(svc.catalog.get_meta("last_index_report") or "{}")["proposed"] == 1


def test_the_same_event_is_proposed_once_and_a_rejected_one_never_again(svc: Services) -> None:
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    assert svc.reindex(full=True).proposed == 0  # a full re-index reads it again: nothing new
    add_article(svc, "vietnam-again", "Vietnam signed the Artemis Accords on 3 March 2026.", "2026-03-10")
    assert svc.reindex().proposed == 0  # another article, the same event
    [p] = svc.catalog.proposals()
    svc.registry_editor.reject(p.id, "tester")
    add_article(svc, "vietnam-signs", VIETNAM + " It was a big day.")  # the article is updated
    assert svc.reindex().updated == ["vietnam-signs"]
    assert svc.catalog.proposals() == [] and [q.state for q in svc.catalog.proposals(None)] == [REJECTED]


def test_a_later_status_and_a_different_date_are_proposed_as_conflicts_with_the_row_they_change(
    svc: Services,
) -> None:
    add_article(
        svc,
        "news-roundup",
        "Latvia signed the Artemis Accords on 20 January 2026. "
        "Hungary signed the Artemis Accords on 3 February 2026. "
        "Finland's government announced on 2 March 2026 that the country would join the Artemis Accords. "
        "Egypt withdrew from the ILRS on 5 March 2026.",
        "2026-03-06",
    )
    svc.reindex()
    proposals = {p.member: p for p in svc.catalog.proposals()}
    assert set(proposals) == {"Latvia", "Hungary"}  # an announcement of a member, a withdrawal: not proposals
    latvia, hungary = proposals["Latvia"], proposals["Hungary"]
    assert (latvia.conflict, latvia.status, latvia.date) == ("status", "member", "2026-01-20")
    assert latvia.conflicting_row is not None and latvia.conflicting_row["status"] == "announced"
    assert (hungary.conflict, hungary.status, hungary.date) == ("date", "member", "2026-02-03")
    assert hungary.conflicting_row is not None and hungary.conflicting_row["joined"] == "2025-10-22"


def test_a_report_dated_only_by_its_publication_proposes_the_month_it_falls_in(svc: Services) -> None:
    add_article(svc, "laos-has-joined", "Laos has joined the ILRS.", "2026-03-20")
    svc.reindex()
    [p] = svc.catalog.proposals()
    assert (p.member, p.coalition, p.precision, p.date) == ("Laos", ILRS, "published", "2026-03")


# -- approving: validated, written back, reloaded, recorded --------------------------------------------
def test_approving_writes_the_row_into_the_csv_in_joining_order_and_reloads_the_registry(
    svc: Services,
) -> None:
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    [p] = svc.catalog.proposals()
    before = csv_text(svc)
    inode = os.stat(svc.settings.registry_path).st_ino
    approval = svc.registry_editor.approve(p.id, "alice (tester)")
    after = csv_text(svc)
    row = "artemis_accords,Vietnam,country,2026-03-03,member,61,vietnam-signs,https://example.org/vietnam-signs,\n"
    lines = before.splitlines(keepends=True)
    assert after == "".join(lines[:4] + [row] + lines[4:])  # after Latvia (2025-10), before the ILRS rows
    assert os.stat(svc.settings.registry_path).st_ino != inode  # a new file renamed into place
    assert not [f for f in Path(svc.settings.registry_path).parent.iterdir() if f.name.endswith(".tmp")]
    [vietnam] = svc.registry.get().member("Vietnam")  # the registry in use has it
    assert (vietnam.joined, vietnam.article, vietnam.sources) == (
        "2026-03-03",
        "vietnam-signs",
        ("https://example.org/vietnam-signs",),
    )
    assert approval.row == vietnam and approval.previous is None
    assert state_of(svc, p.id) == APPROVED
    [decision] = svc.registry_editor.history()
    assert (decision.action, decision.who, decision.previous_row, decision.proposal_id) == (
        "approve",
        "alice (tester)",
        "",
        p.id,
    )
    assert json.loads(decision.new_row)["member"] == "Vietnam" and decision.at.endswith("Z")


def test_approving_a_status_change_replaces_the_row_in_place_and_records_the_previous_one(
    svc: Services,
) -> None:
    add_article(svc, "latvia-signs", "Latvia signed the Artemis Accords on 20 January 2026.", "2026-01-21")
    svc.reindex()
    [p] = svc.catalog.proposals()
    before = csv_text(svc).splitlines(keepends=True)
    approval = svc.registry_editor.approve(p.id, "tester")
    after = csv_text(svc).splitlines(keepends=True)
    assert after[:3] + after[4:] == before[:3] + before[4:]  # every other line as it was
    assert after[3] == (
        "artemis_accords,Latvia,country,2026-01-20,member,60,latvia-signs,https://example.org/latvia-signs,"
        "earlier announced (2025-10)\n"
    )
    assert approval.previous is not None and approval.previous["status"] == "announced"
    [decision] = svc.registry_editor.history()
    assert decision.previous_csv == before[3] and json.loads(decision.previous_row)["notes"] == (
        "PENDING: reported as 60th"
    )
    assert [m.status for m in svc.registry.get().member("Latvia")] == ["member"]


def test_a_row_the_registry_would_refuse_is_not_written_and_the_proposal_stays_pending(svc: Services) -> None:
    add_article(svc, "laos-joins", "Laos joined the ILRS.")  # a past joining the sentence does not date
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    laos, vietnam = sorted(svc.catalog.proposals(), key=lambda p: p.member)
    assert laos.date == ""
    before = csv_text(svc)
    with pytest.raises(ProposalError) as undated:
        svc.registry_editor.approve(laos.id, "tester")
    assert str(undated.value).startswith(
        f"proposal #{laos.id} not approved: members.csv line 7 (Laos): joined '' is not a date"
    )
    assert f"registry date {laos.id} YYYY-MM-DD" in str(undated.value)
    Path(svc.settings.corpus_dir, "vietnam-signs.md").unlink()  # its article is gone from the corpus
    svc.reindex()
    with pytest.raises(ProposalError, match=r"article 'vietnam-signs' is not in the corpus"):
        svc.registry_editor.approve(vietnam.id, "tester")
    with pytest.raises(ProposalError, match=r"'2026-02-30' is not a date"):
        svc.registry_editor.edit_date(laos.id, "2026-02-30", "tester")
    assert csv_text(svc) == before and svc.registry_editor.history() == []
    assert {p.state for p in svc.catalog.proposals(None)} == {PENDING}
    assert not [f for f in Path(svc.settings.registry_path).parent.iterdir() if f.name.endswith(".tmp")]
    dated = svc.registry_editor.edit_date(laos.id, "2026-03", "bob (tester)")  # a date makes it valid
    assert (dated.date, dated.proposed_date, dated.edited_by) == ("2026-03", "", "bob (tester)")
    assert svc.registry_editor.approve(laos.id, "tester").row.joined == "2026-03"


def test_unknown_and_decided_proposals_are_refused_by_number(svc: Services) -> None:
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    [p] = svc.catalog.proposals()
    with pytest.raises(ProposalError, match=r"^there is no proposal #999; "):
        svc.registry_editor.approve(999, "tester")
    svc.registry_editor.approve(p.id, "first")
    for act in (svc.registry_editor.approve, svc.registry_editor.reject):
        with pytest.raises(ProposalError, match=rf"^proposal #{p.id} was approved already \(by first, "):
            act(p.id, "second")


def test_two_admins_approving_at_once_make_one_approval(svc: Services) -> None:
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    [p] = svc.catalog.proposals()
    outcomes: list[str] = []

    def approve(who: str) -> None:
        try:
            svc.registry_editor.approve(p.id, who)
            outcomes.append("approved")
        except ProposalError:
            outcomes.append("refused")

    threads = [threading.Thread(target=approve, args=(f"admin {i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert csv_text(svc).count("Vietnam") == 1 and len(svc.registry_editor.history()) == 1


# -- undo --------------------------------------------------------------------------------------------
def test_undo_restores_the_previous_registry_exactly_and_the_proposal_is_pending_again(svc: Services) -> None:
    add_article(svc, "latvia-signs", "Latvia signed the Artemis Accords on 20 January 2026.", "2026-01-21")
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    original = csv_text(svc)
    latvia, vietnam = sorted(svc.catalog.proposals(), key=lambda p: p.member)
    svc.registry_editor.approve(latvia.id, "tester")
    svc.registry_editor.approve(vietnam.id, "tester")
    undo = svc.registry_editor.undo("carol (tester)")  # the newest first: Vietnam's row goes
    assert undo.undone.proposal_id == vietnam.id and undo.restored is None
    assert svc.registry.get().member("Latvia")[0].status == "member"
    assert "Vietnam" not in svc.registry.get().names()
    undo = svc.registry_editor.undo("carol (tester)")  # then Latvia's previous row, exactly as written
    assert undo.restored is not None and (undo.restored.status, undo.restored.notes) == (
        "announced",
        "PENDING: reported as 60th",
    )
    assert csv_text(svc) == original
    assert [p.state for p in svc.catalog.proposals(None)] == [PENDING, PENDING]
    history = svc.registry_editor.history()
    assert [(d.action, d.who) for d in history[:2]] == [
        ("undo", "carol (tester)"),
        ("undo", "carol (tester)"),
    ]
    assert all(d.undone and d.undone_by == "carol (tester)" for d in history[2:])
    with pytest.raises(ProposalError, match=r"^nothing to undo"):
        svc.registry_editor.undo("carol (tester)")


def test_undo_takes_back_a_rejection_and_refuses_to_overwrite_a_row_edited_by_hand(svc: Services) -> None:
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    [p] = svc.catalog.proposals()
    svc.registry_editor.reject(p.id, "tester")
    undo = svc.registry_editor.undo("tester")
    assert (undo.undone.action, state_of(svc, p.id)) == ("reject", PENDING)
    svc.registry_editor.approve(p.id, "tester")
    path = Path(svc.settings.registry_path)
    path.write_text(csv_text(svc).replace("2026-03-03", "2026-03-04"), encoding="utf-8")  # an editor's fix
    with pytest.raises(
        ProposalError, match=r"changed after proposal #\d+ was approved .*edit members.csv by hand"
    ):
        svc.registry_editor.undo("tester")
    assert "2026-03-04" in csv_text(svc)


# -- members.csv as records ------------------------------------------------------------------------------
def test_the_shipped_registry_reads_and_writes_back_byte_for_byte() -> None:
    text = (REPO / "corpus" / "members.csv").read_text(encoding="utf-8")
    table = RegistryCsv(text)
    assert table.text() == text and len([r for r in table.records if r.values]) == text.count("\n") - 1
    crlf = 'coalition,member,joined,notes\r\nilrs,Egypt,2023-12-06,"two\r\nlines"\r\nilrs,Peru,2024,x'
    table = RegistryCsv(crlf)
    assert [r.values["notes"] for r in table.records if r.values] == ["two\r\nlines", "x"]
    table.insert({"coalition": "ilrs", "member": "Chad", "joined": "2025-01", "notes": "a, b"})
    assert table.text() == crlf + '\r\nilrs,Chad,2025-01,"a, b"\r\n'
    table.insert({"coalition": "ilrs", "member": "Mali", "joined": "2024-01-01", "notes": ""})
    assert table.text().splitlines()[3:] == [
        "ilrs,Mali,2024-01-01,",
        "ilrs,Peru,2024,x",
        'ilrs,Chad,2025-01,"a, b"',
    ]


def test_a_registry_file_that_cannot_be_replaced_leaves_it_and_the_proposal_as_they_were(
    svc: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    [p] = svc.catalog.proposals()
    before = csv_text(svc)

    def refuse(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr("retrieval.registry_editor.os.replace", refuse)
    with pytest.raises(
        StorageError, match=r"^members.csv could not be written .*Permission denied.* is pending again"
    ):
        svc.registry_editor.approve(p.id, "tester")
    assert csv_text(svc) == before and "Vietnam" not in svc.registry.get().names()
    assert state_of(svc, p.id) == PENDING
    undo, approval = svc.registry_editor.history()
    assert (approval.action, approval.undone, undo.action, undo.who) == (
        "approve",
        True,
        "undo",
        "tester (members.csv could not be written)",
    )
    assert not [f for f in Path(svc.settings.registry_path).parent.iterdir() if f.name.endswith(".tmp")]
