"""Membership news for watched channels: the sentence an approval announces, the watched channels and the
announcements outbox in the catalog (on both stores), and auto-approval.

The store tests run once on the SQLite catalog and once on PostgreSQL (both_catalogs)."""

from __future__ import annotations

import pytest

from retrieval.announcement_types import CANCELLED, FAILED, MAX_ATTEMPTS, SENT, WAITING
from retrieval.announcements import announcement_for, auto_approvable, news_sentence, ordinal, parse_threshold
from retrieval.members_registry import Member, Registry
from retrieval.proposal_types import APPROVED, PENDING, Proposal
from retrieval.services import Services
from tests.unit import test_registry_proposals as proposals_tests
from tests.unit.test_registry_proposals import VIETNAM, add_article

svc = proposals_tests.svc  # the fixture: five small articles and a registry citing them, indexed
GUILD, OTHER_GUILD = 900, 901
BOTH_CHANNEL, ARTEMIS_CHANNEL, ILRS_CHANNEL, ELSEWHERE = 11, 12, 13, 21
NOW, LATER = "2026-03-05T10:00:00Z", "2026-03-05T10:05:00Z"
VIETNAM_NEWS = "Vietnam signed the Artemis Accords on 3 March 2026, the 61st signatory [1]."


def row(member: str, coalition: str = "artemis_accords", **changes: object) -> Member:
    values: dict[str, object] = {
        "coalition": coalition,
        "member": member,
        "member_type": "country",
        "joined": "2025-10-22",
        "status": "member",
        "order": None,
        "article": f"{member.lower()}-news",
        "sources": (f"https://example.org/{member.lower()}",),
    }
    values.update(changes)
    return Member(**values)  # type: ignore[arg-type]


def registry_of(*rows: Member) -> Registry:
    return Registry(list(rows))


# -- the sentence ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st")],
)
def test_ordinals_are_written_as_english_writes_them(n: int, word: str) -> None:
    assert ordinal(n) == word


def test_a_signing_is_announced_with_its_date_and_the_registry_s_ordinal() -> None:
    hungary = row("Hungary", order=57)
    assert news_sentence(hungary, registry_of(hungary)) == (
        "Hungary signed the Artemis Accords on 22 October 2025, the 57th signatory [1]."
    )
    # without an order number, the place among the coalition's countries in joining order (as /members numbers)
    first, second = row("Finland", joined="2025-01-21"), row("Hungary")
    territory = row("Isle of Man", member_type="territory", joined="2021-07-27")
    assert news_sentence(second, registry_of(first, second, territory)) == (
        "Hungary signed the Artemis Accords on 22 October 2025, the 2nd signatory [1]."
    )
    assert news_sentence(territory, registry_of(first, second, territory)) == (
        "Isle of Man signed the Artemis Accords on 27 July 2021 [1]."
    )


def test_ilrs_news_an_organisation_an_announcement_and_a_month_are_said_plainly() -> None:
    belarus = row("Belarus", "ilrs", joined="2023-10")
    egypt = row("Egypt", "ilrs", joined="2023-12-06")
    apsco = row("APSCO", "ilrs", member_type="organisation", joined="2024-04-24")
    latvia = row("Latvia", status="announced", joined="2025-10")
    registry = registry_of(belarus, egypt, apsco, latvia)
    assert news_sentence(belarus, registry) == (
        "Belarus joined the International Lunar Research Station (ILRS) in October 2023, its 1st member country [1]."
    )
    assert news_sentence(egypt, registry).endswith("on 6 December 2023, its 2nd member country [1].")
    assert news_sentence(apsco, registry) == (
        "APSCO joined the International Lunar Research Station (ILRS) as a partner organisation on 24 April 2024 [1]."
    )
    assert news_sentence(latvia, registry) == (
        "Latvia's signing of the Artemis Accords was announced in October 2025 [1]."
    )


def test_only_a_new_member_or_a_later_status_is_news_not_a_corrected_date() -> None:
    hungary = row("Hungary", order=57)
    registry = registry_of(hungary)
    new = announcement_for(hungary, None, registry, None)
    assert new is not None and (new.event, new.url, new.title) == (
        "artemis_accords:hungary:member",
        "https://example.org/hungary",
        "hungary-news",
    )
    assert announcement_for(hungary, {"status": "announced"}, registry, None) is not None
    assert announcement_for(hungary, {"status": "member", "joined": "2025-10"}, registry, None) is None


def proposal(**changes: object) -> Proposal:
    values: dict[str, object] = {
        "coalition": "artemis_accords",
        "member": "Vietnam",
        "status": "member",
        "date": "2026-03-03",
        "precision": "day",
        "action": "signed",
        "sentence": VIETNAM,
        "article": "vietnam-signs",
        "sentence_id": "vietnam-signs#0",
        "conflict": "",
        "registry_row": "",
        "confidence": 0.9,
    }
    values.update(changes)
    return Proposal(**values)  # type: ignore[arg-type]


def test_auto_approval_takes_only_dated_news_read_with_enough_confidence_and_never_a_withdrawal() -> None:
    assert auto_approvable(proposal(), 0.85)
    assert auto_approvable(proposal(status="announced", action="announced", conflict="status"), 0.85)
    assert not auto_approvable(proposal(), None)  # off
    assert not auto_approvable(proposal(confidence=0.8), 0.85)
    assert not auto_approvable(proposal(date="", precision=""), 0.85)
    assert not auto_approvable(proposal(precision="published", date="2026-03"), 0.85)
    assert not auto_approvable(proposal(conflict="date"), 0.85)  # a correction of a row waits for an admin
    assert not auto_approvable(proposal(action="withdrew"), 0.5)
    assert [parse_threshold(v) for v in (None, "", "0", "0.85", "1", "1.5", "x")] == [
        None,
        None,
        None,
        0.85,
        1.0,
        None,
        None,
    ]


# -- the store (both catalogs) --------------------------------------------------------------------------
pytestmark_both = pytest.mark.both_catalogs


def watch_three_and_one_elsewhere(svc: Services) -> None:
    catalog = svc.catalog
    catalog.watch(BOTH_CHANNEL, GUILD, "both", "admin", NOW)
    catalog.watch(ARTEMIS_CHANNEL, GUILD, "artemis_accords", "admin", NOW)
    catalog.watch(ILRS_CHANNEL, GUILD, "ilrs", "admin", NOW)
    catalog.watch(ELSEWHERE, OTHER_GUILD, "both", "someone else", LATER)


def approve_vietnam(svc: Services) -> Proposal:
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    [p] = svc.catalog.proposals()
    svc.registry_editor.approve(p.id, "tester")
    return p


@pytestmark_both
def test_a_watched_channel_is_stored_listed_per_server_refiltered_and_stopped(svc: Services) -> None:
    watch_three_and_one_elsewhere(svc)
    catalog = svc.catalog
    assert [(w.channel_id, w.coalition) for w in catalog.watches(GUILD)] == [
        (BOTH_CHANNEL, "both"),
        (ARTEMIS_CHANNEL, "artemis_accords"),
        (ILRS_CHANNEL, "ilrs"),
    ]
    assert [w.channel_id for w in catalog.watches()] == [
        BOTH_CHANNEL,
        ARTEMIS_CHANNEL,
        ILRS_CHANNEL,
        ELSEWHERE,
    ]
    changed = catalog.watch(ILRS_CHANNEL, GUILD, "both", "another admin", LATER)
    assert (changed.coalition, changed.added_by, changed.wants("artemis_accords")) == (
        "both",
        "another admin",
        True,
    )
    stopped = catalog.unwatch(ILRS_CHANNEL, LATER)
    assert stopped is not None and stopped.channel_id == ILRS_CHANNEL
    assert catalog.unwatch(ILRS_CHANNEL, LATER) is None
    assert [w.channel_id for w in catalog.watches(GUILD)] == [BOTH_CHANNEL, ARTEMIS_CHANNEL]


@pytestmark_both
def test_an_approval_is_announced_once_to_each_channel_that_wants_its_coalition(svc: Services) -> None:
    watch_three_and_one_elsewhere(svc)
    approve_vietnam(svc)
    waiting = svc.catalog.deliveries(due=NOW)
    assert [(d.channel_id, d.guild_id) for d in waiting] == [
        (BOTH_CHANNEL, GUILD),
        (ARTEMIS_CHANNEL, GUILD),
        (ELSEWHERE, OTHER_GUILD),
    ]  # not the ILRS-only channel
    first = waiting[0]
    assert (first.text, first.title, first.outlet, first.published, first.url) == (
        VIETNAM_NEWS,
        "vietnam signs",
        "Test Wire",
        "2026-03-04",
        "https://example.org/vietnam-signs",
    )
    assert first.event == "artemis_accords:vietnam:member" and first.state == WAITING and first.attempts == 0

    # claimed by one process, it is not claimed again until the lease ends
    assert svc.catalog.claim_delivery(first.id, LATER, NOW)
    assert not svc.catalog.claim_delivery(first.id, LATER, NOW)
    assert first.id not in [d.id for d in svc.catalog.deliveries(due=NOW)]
    assert svc.catalog.delivery_sent(first.id, 5555, NOW)
    assert not svc.catalog.delivery_sent(first.id, 5555, NOW)  # recorded once
    [sent] = svc.catalog.deliveries(SENT)
    assert (sent.channel_id, sent.message_id) == (BOTH_CHANNEL, 5555)

    # an undo after it was sent takes back only what was still waiting; approving again posts nothing twice
    svc.registry_editor.undo("tester")
    assert svc.catalog.deliveries() == []
    assert [d.error for d in svc.catalog.deliveries(CANCELLED)] == ["the approval was undone"] * 2
    [p] = svc.catalog.proposals()
    svc.registry_editor.approve(p.id, "tester")
    assert [d.channel_id for d in svc.catalog.deliveries()] == [ARTEMIS_CHANNEL, ELSEWHERE]  # again
    assert [d.channel_id for d in svc.catalog.deliveries(SENT)] == [BOTH_CHANNEL]  # not again


@pytestmark_both
def test_an_undo_before_delivery_cancels_it_and_a_stopped_watch_gets_nothing(svc: Services) -> None:
    watch_three_and_one_elsewhere(svc)
    svc.catalog.unwatch(ELSEWHERE, NOW)
    p = approve_vietnam(svc)
    svc.catalog.unwatch(ARTEMIS_CHANNEL, NOW)  # its waiting delivery is cancelled with it
    assert [d.channel_id for d in svc.catalog.deliveries()] == [BOTH_CHANNEL]
    svc.registry_editor.undo("tester")
    assert svc.catalog.deliveries() == [] and svc.catalog.deliveries(SENT) == []
    assert {d.channel_id: d.error for d in svc.catalog.deliveries(CANCELLED)} == {
        BOTH_CHANNEL: "the approval was undone",
        ARTEMIS_CHANNEL: "the channel is no longer watched",
    }
    assert svc.catalog.proposals()[0].id == p.id


@pytestmark_both
def test_a_date_correction_is_not_announced(svc: Services) -> None:
    svc.catalog.watch(BOTH_CHANNEL, GUILD, "both", "admin", NOW)
    add_article(svc, "hungary-date", "Hungary signed the Artemis Accords on 24 October 2025.", "2025-10-25")
    svc.reindex()
    [p] = svc.catalog.proposals()
    assert p.conflict == "date"
    svc.registry_editor.approve(p.id, "tester")
    assert svc.catalog.deliveries(None) == []


@pytestmark_both
def test_a_refused_channel_is_marked_broken_and_a_passing_failure_is_retried_a_few_times(
    svc: Services,
) -> None:
    watch_three_and_one_elsewhere(svc)
    approve_vietnam(svc)
    both, artemis, elsewhere = svc.catalog.deliveries()
    # a passing failure (Discord down): tried again later, given up after MAX_ATTEMPTS
    for attempt in range(1, MAX_ATTEMPTS):
        assert (
            svc.catalog.delivery_failed(both.id, "503", NOW, retry_at=LATER, max_attempts=MAX_ATTEMPTS)
            == WAITING
        )
        assert both.id not in [d.id for d in svc.catalog.deliveries(due=NOW)]
        assert [d.attempts for d in svc.catalog.deliveries(due=LATER) if d.id == both.id] == [attempt]
    assert (
        svc.catalog.delivery_failed(both.id, "503", NOW, retry_at=LATER, max_attempts=MAX_ATTEMPTS) == FAILED
    )
    # a refusal (no access, channel deleted): failed at once, the watch marked broken and skipped afterwards
    refused = "403 Forbidden (error code: 50001): Missing Access"
    assert (
        svc.catalog.delivery_failed(artemis.id, refused, NOW, retry_at=None, max_attempts=MAX_ATTEMPTS)
        == FAILED
    )
    broken = {w.channel_id: w.broken for w in svc.catalog.watches(GUILD)}
    assert broken == {BOTH_CHANNEL: "", ARTEMIS_CHANNEL: refused, ILRS_CHANNEL: ""}
    assert [d.channel_id for d in svc.catalog.deliveries()] == [ELSEWHERE]
    # a broken watch gets no new news; watching it again (after fixing its permissions) clears the mark
    add_article(svc, "latvia-signs", "Latvia signed the Artemis Accords on 20 January 2026.", "2026-01-21")
    svc.reindex()
    [latvia] = svc.catalog.proposals()
    svc.registry_editor.approve(latvia.id, "tester")
    assert [d.channel_id for d in svc.catalog.deliveries() if d.member == "Latvia"] == [
        BOTH_CHANNEL,
        ELSEWHERE,
    ]
    assert svc.catalog.watch(ARTEMIS_CHANNEL, GUILD, "artemis_accords", "admin", LATER).broken == ""
    latvia_news = next(d for d in svc.catalog.deliveries() if d.member == "Latvia")
    assert latvia_news.text == "Latvia signed the Artemis Accords on 20 January 2026, the 60th signatory [1]."


@pytestmark_both
def test_auto_approval_approves_confident_news_unseen_and_announces_it(svc: Services) -> None:
    svc.catalog.watch(BOTH_CHANNEL, GUILD, "both", "admin", NOW)
    assert svc.auto_approve_threshold() is None  # off unless an admin turns it on
    assert svc.set_auto_approve_threshold(0.99) == 0.99
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    [waiting] = svc.catalog.proposals()
    assert waiting.state == PENDING and waiting.confidence < 0.99  # below the threshold: left for an admin
    svc.registry_editor.reject(waiting.id, "tester")
    svc.registry_editor.undo("tester")
    svc.catalog.set_meta("auto_approve_threshold", None)
    assert svc.set_auto_approve_threshold(0.5) == 0.5
    add_article(svc, "latvia-signs", "Latvia signed the Artemis Accords on 20 January 2026.", "2026-01-21")
    report = svc.reindex()
    assert (report.proposed, report.auto_approved) == (0, 1)
    assert "1 approved into the members registry automatically" in report.summary()
    latvia = next(p for p in svc.catalog.proposals(None) if p.member == "Latvia")
    assert latvia.state == APPROVED and latvia.decided_by.startswith("auto-approval (confidence 0.")
    assert svc.registry.get().member("Latvia")[0].status == "member"
    assert [d.member for d in svc.catalog.deliveries()] == ["Latvia"]
    assert svc.set_auto_approve_threshold(0) is None
