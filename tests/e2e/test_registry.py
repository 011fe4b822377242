"""Registry proposals end to end, through the real bot and the local Discord-compatible server: an ingested
article about a new signatory becomes a proposal in /registry pending; only an admin can approve it (a
non-admin's press and form are refused in code); the buttons work after a restart; the approved row is in
/members citing the new article; /registry undo restores the previous registry byte for byte."""

from __future__ import annotations

import pytest

from retrieval.services import Services
from tests.e2e.conftest import running_bot
from tests.e2e.test_lists import all_pages, buttons
from tests.fakediscord import FakeDiscord

pytestmark = [
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]
LINK = "https://example.org/news/vietnam-signs-artemis-accords"
ARTICLE = (
    b"---\nid: vietnam-signs-artemis\ntitle: Vietnam signs the Artemis Accords\npublished: 2026-03-04\n"
    b"outlet: Test Wire\nurl: https://example.org/news/vietnam-signs-artemis-accords\ntopics: [artemis_accords]\n---\n\n"
    b"Vietnam signed the Artemis Accords on 3 March 2026 at a ceremony in Washington, NASA said.\n\n"
    b"Officials said the agreement would guide the country's civil space cooperation.\n"
)
ONLY_ADMINS = "Only admins can do that: it needs the Manage Server permission or an admin role."


def embed_of(message: dict) -> dict:
    return (message.get("embeds") or [{}])[0]


def custom_ids(message: dict) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for b in buttons(message)}


def countries(pages: list[dict]) -> list[str]:
    return [
        line
        for page in pages
        for field in page["fields"]
        if field["name"].startswith("Countries")
        for line in field["value"].splitlines()
    ]


async def test_an_ingested_signing_is_proposed_approved_by_an_admin_only_shown_in_members_and_undone(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services: Services, monkeypatch
) -> None:
    fake, svc = fake_discord, own_corpus_services
    registry_path = svc.settings.registry_path
    original = registry_path.read_bytes()
    assert svc.catalog.proposals(None) == []  # the starter corpus agrees with its registry
    async with running_bot(fake, svc, monkeypatch):
        ingest = await fake.invoke_command("ingest", {"file": ("vietnam.md", ARTICLE)}, user=fake.admin_user)
        done = await ingest.wait_original(lambda m: " indexed as `" in (m.get("content") or ""), timeout=60)
        assert done["content"].splitlines()[1] == (
            "1 new members registry proposal from the articles: review it with /registry pending."
        )
        [proposal] = svc.catalog.proposals()
        assert (proposal.member, proposal.coalition, proposal.status, proposal.date) == (
            "Vietnam",
            "artemis_accords",
            "member",
            "2026-03-03",
        )

        # a non-admin cannot list them; an admin sees one private card per proposal, with its buttons
        refused = await fake.invoke_command("registry", subcommand="pending", user=fake.plain_user)
        assert (await refused.wait_callback())["data"]["content"] == ONLY_ADMINS and refused.ephemeral
        listing = await fake.invoke_command("registry", subcommand="pending", user=fake.admin_user)
        header = await listing.wait_original(lambda m: m.get("content"))
        [card] = await listing.wait_followups(1)
        assert listing.ephemeral and header["content"].startswith(
            "1 pending registry proposal, oldest first."
        )
        assert card["flags"] & 64  # private to the admin
        embed = embed_of(card)
        assert embed["title"] == f"#{proposal.id} · Vietnam — Artemis Accords: signed 3 March 2026"
        assert embed["description"] == "New: the registry does not list it in this coalition."
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields["Sentence"] == (
            "“Vietnam signed the Artemis Accords on 3 March 2026 at a ceremony in Washington, NASA said.”"
        )
        assert fields["Article"] == f"[Vietnam signs the Artemis Accords]({LINK}) · 4 Mar 2026"
        assert [(b["label"], b["style"]) for b in buttons(card)] == [
            ("Approve", 3),
            ("Edit date", 2),
            ("Reject", 4),
        ]
        ids = custom_ids(card)

        # a non-admin pressing Approve (or sending the date form) is refused, and nothing changes
        press = await fake.click_button(card, ids["Approve"], user=fake.plain_user)
        assert (await press.wait_callback())["data"]["content"] == ONLY_ADMINS and press.ephemeral
        assert registry_path.read_bytes() == original and svc.catalog.proposals() == [proposal]

        # Edit date opens a form; a date the registry would refuse is refused, a good one updates the card
        edit = await fake.click_button(card, ids["Edit date"], user=fake.admin_user)
        form = (await edit.wait_callback())["data"]
        assert edit.callback_type == 9 and form["title"] == f"Date of proposal #{proposal.id}"
        [field] = form["components"][0]["components"]
        assert (field["value"], field["min_length"], field["max_length"]) == ("2026-03-03", 4, 10)
        stranger = await fake.submit_modal(edit, {field["custom_id"]: "2026-03"}, user=fake.plain_user)
        assert (await stranger.wait_callback())["data"]["content"] == ONLY_ADMINS
        bad = await fake.submit_modal(edit, {field["custom_id"]: "2026-02-30"})
        assert (await bad.wait_callback())["data"]["content"] == (
            "'2026-02-30' is not a date; use YYYY-MM-DD, YYYY-MM or YYYY (a real day). "
            "The proposal is unchanged; press Edit date to try again."
        )
        good = await fake.submit_modal(edit, {field["custom_id"]: "2026-03"})
        dated = await good.wait_original(lambda m: "March 2026" in embed_of(m)["title"])
        assert good.callback_type == 7  # the card is updated in place
        assert embed_of(dated)["title"] == f"#{proposal.id} · Vietnam — Artemis Accords: signed March 2026"
        assert "Date set to March 2026 by admin (Discord user" in str(embed_of(dated)["fields"])
        edit = await fake.click_button(card, ids["Edit date"], user=fake.admin_user)
        await edit.wait_callback()

    # after a restart the card's buttons and the form opened before it still work
    async with running_bot(fake, svc, monkeypatch):
        back = await fake.submit_modal(edit, {field["custom_id"]: "2026-03-03"})
        await back.wait_original(lambda m: "3 March 2026" in embed_of(m)["title"])
        other = await fake.invoke_command("registry", subcommand="pending", user=fake.admin_user)
        [other_card] = await other.wait_followups(1)  # a second admin's own list
        approve = await fake.click_button(card, ids["Approve"], user=fake.admin_user)
        approved = await approve.wait_original(lambda m: embed_of(m).get("title", "").startswith("Approved"))
        assert approve.callback_type == 6 and not approved.get("components")  # decided: no more buttons
        assert (
            embed_of(approved)["title"]
            == f"Approved #{proposal.id} · Vietnam — Artemis Accords: signed 3 March 2026"
        )
        assert embed_of(approved)["description"].startswith(
            "Written into the members registry by admin (Discord user"
        )
        lines = registry_path.read_text(encoding="utf-8").splitlines()
        [at] = [i for i, line in enumerate(lines) if ",Vietnam," in line]
        assert (
            lines[at] == f"artemis_accords,Vietnam,country,2026-03-03,member,,{proposal.article},{LINK},,"
        )  # the optional signed_with column too, empty
        assert lines[at + 1].startswith("ilrs,")  # the last of the Accords' rows, in joining order
        assert [line for line in lines if ",Vietnam," not in line] == original.decode().splitlines()

        # /members shows the new member, its source the new article's link
        members = await fake.invoke_command("members", {"coalition": "artemis_accords"})
        first = (await members.wait_followups(1))[0]
        pages = await all_pages(fake, first, fake.plain_user)
        assert pages[0]["title"] == "Artemis Accords: 60 signatory countries"
        assert countries(pages)[-1] == f"60. Vietnam — 3 Mar 2026 · [source]({LINK})"

        # a press on another admin's card, shown before the approval, is refused: it is decided
        again = await fake.click_button(other_card, custom_ids(other_card)["Reject"], user=fake.admin_user)
        [refusal] = await again.wait_followups(1)
        assert refusal["content"].startswith(f"proposal #{proposal.id} was approved already (by admin")

        # undo restores the previous registry (and members.csv, byte for byte); the proposal is pending again
        refused = await fake.invoke_command("registry", subcommand="undo", user=fake.plain_user)
        assert (await refused.wait_callback())["data"]["content"] == ONLY_ADMINS
        assert "Vietnam" in svc.registry.get().names()
        undo = await fake.invoke_command("registry", subcommand="undo", user=fake.admin_user)
        undone = await undo.wait_original(lambda m: m.get("content"))
        assert undo.ephemeral and undone["content"] == (
            f"Undid the approval of proposal #{proposal.id}: Vietnam is no longer in the registry for that "
            "coalition. The proposal is pending again."
        )
        assert [b["label"] for b in buttons(undone)] == ["Approve", "Edit date", "Reject"]
        assert registry_path.read_bytes() == original and "Vietnam" not in svc.registry.get().names()
        members = await fake.invoke_command("members", {"coalition": "artemis_accords"})
        first = (await members.wait_followups(1))[0]
        pages = await all_pages(fake, first, fake.plain_user)
        assert pages[0]["title"] == "Artemis Accords: 59 signatory countries"
        assert not any("Vietnam" in line for line in countries(pages))
    history = svc.registry_editor.history()
    assert [(d.action, d.who.split(" (")[0]) for d in history] == [("undo", "admin"), ("approve", "admin")]
    assert not fake.schema_violations
