"""Membership news in watched channels end to end, through the real bot and the local Discord-compatible
server: an admin watches a channel with /watch on (a non-admin cannot); an ingested article about a new
signatory is approved with the button; /members lists the member citing the new article; the watched channel
gets exactly one cited post that pings no one; a deleted channel is marked broken; a restart posts nothing
twice, and posts what was approved from the command line while the bot was down."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from retrieval.announcement_types import FAILED, SENT
from retrieval.services import Services
from tests.e2e.conftest import running_bot
from tests.e2e.test_lists import all_pages
from tests.e2e.test_registry import ARTICLE, LINK, ONLY_ADMINS, countries, custom_ids, embed_of
from tests.fakediscord import FakeDiscord
from tests.unit import test_registry_proposals as proposals_tests
from tests.unit.test_registry_proposals import VIETNAM, add_article

pytestmark = [
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]
svc = proposals_tests.svc  # the fixture: five small articles and a registry citing them, on either catalog
VIETNAM_POST = (
    "Vietnam signed the Artemis Accords on 3 March 2026, the 60th signatory [1].\n"
    f"[1] [Vietnam signs the Artemis Accords]({LINK}) — Test Wire · 4 Mar 2026"
)
SERBIA = (
    b"---\nid: serbia-signs-artemis\ntitle: Serbia signs the Artemis Accords\npublished: 2026-04-02\n"
    b"outlet: Test Wire\nurl: https://example.org/news/serbia-signs-artemis-accords\ntopics: [artemis_accords]\n---\n\n"
    b"Serbia signed the Artemis Accords on 1 April 2026 in Belgrade, the government said.\n"
)


def posts_to(fake: FakeDiscord, channel_id: str) -> list[dict]:
    """The bodies of every message the bot asked to create in a channel (accepted or not)."""
    return [
        r.json for r in fake.requests if r.method == "POST" and r.path == f"/channels/{channel_id}/messages"
    ]


async def eventually(check: Callable[[], object], timeout: float = 10.0) -> None:
    """Wait for the bot's bookkeeping (written after Discord answered it) to say `check`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "timed out waiting for the catalog"
        await asyncio.sleep(0.05)


async def reply_of(record) -> str:  # type: ignore[no-untyped-def]
    return (await record.wait_original(lambda m: m.get("content")))["content"]


async def test_an_approved_signing_is_posted_once_in_each_watching_channel_and_never_twice_after_a_restart(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services: Services, monkeypatch
) -> None:
    fake, svc = fake_discord, own_corpus_services
    news = fake.add_text_channel(fake.guild_id, "space-news")
    ilrs_news = fake.add_text_channel(fake.guild_id, "ilrs-news")
    gone = fake.add_text_channel(fake.guild_id, "old-news")
    async with running_bot(fake, svc, monkeypatch) as bot:
        # a non-admin cannot watch a channel; an admin can, privately
        refused = await fake.invoke_command(
            "watch", {"channel": news, "coalition": "both"}, subcommand="on", user=fake.plain_user
        )
        assert (await refused.wait_callback())["data"]["content"] == ONLY_ADMINS and refused.ephemeral
        assert svc.catalog.watches() == []
        on = await fake.invoke_command("watch", {"channel": news}, subcommand="on", user=fake.admin_user)
        assert await reply_of(on) == (
            f"<#{news}> will get membership news of both coalitions: one short post citing its article for each "
            "joining or signing approved from now on, pinging no one. `/watch off` stops it."
        )
        assert on.ephemeral
        for channel, coalition in ((ilrs_news, "ilrs"), (gone, "artemis_accords")):
            watched = await fake.invoke_command(
                "watch", {"channel": channel, "coalition": coalition}, subcommand="on", user=fake.admin_user
            )
            await reply_of(watched)
        assert [(str(w.channel_id), w.coalition) for w in svc.catalog.watches(int(fake.guild_id))] == [
            (news, "both"),
            (ilrs_news, "ilrs"),
            (gone, "artemis_accords"),
        ]
        # deleted in Discord while the bot was not told (it was offline): posting there gets 404 Unknown Channel
        del fake.channels[gone]
        fake.guilds[fake.guild_id]["channel_ids"].remove(gone)

        # an article about a new signatory is ingested, proposed, approved by an admin
        ingest = await fake.invoke_command("ingest", {"file": ("vietnam.md", ARTICLE)}, user=fake.admin_user)
        await ingest.wait_original(lambda m: " indexed as `" in (m.get("content") or ""), timeout=60)
        [proposal] = svc.catalog.proposals()
        listing = await fake.invoke_command("registry", subcommand="pending", user=fake.admin_user)
        [card] = await listing.wait_followups(1)
        approve = await fake.click_button(card, custom_ids(card)["Approve"], user=fake.admin_user)
        await approve.wait_original(lambda m: embed_of(m).get("title", "").startswith("Approved"))

        # the watched channel gets exactly one post: the sentence citing [1], and [1] as answers cite it
        post = await fake.wait_for_message(news, timeout=10)
        assert post["content"] == VIETNAM_POST
        [body] = posts_to(fake, news)
        assert body["allowed_mentions"] == {"parse": []}  # pings no one
        assert body["flags"] & 4  # no link preview
        await eventually(lambda: svc.catalog.deliveries(FAILED) and svc.catalog.deliveries(SENT))
        assert posts_to(fake, ilrs_news) == []  # it watches only the ILRS
        [failed] = svc.catalog.deliveries(FAILED)
        assert failed.channel_id == int(gone) and failed.error.startswith("404")
        broken = {str(w.channel_id): w.broken for w in svc.catalog.watches()}
        assert broken[gone].startswith("404") and broken[news] == broken[ilrs_news] == ""
        [sent] = svc.catalog.deliveries(SENT)
        assert (str(sent.channel_id), str(sent.message_id)) == (news, post["id"])

        # /members lists the member, its source the new article
        members = await fake.invoke_command("members", {"coalition": "artemis_accords"})
        first = (await members.wait_followups(1))[0]
        pages = await all_pages(fake, first, fake.plain_user)
        assert countries(pages)[-1] == f"60. Vietnam — 3 Mar 2026 · [source]({LINK})"
        assert proposal.member == "Vietnam"

        # /watch list says where news goes and where it stopped; another pass posts nothing more
        listed = await fake.invoke_command("watch", subcommand="list", user=fake.admin_user)
        lines = (await reply_of(listed)).splitlines()
        assert lines[0].startswith(f"• <#{news}> — both coalitions, since ")
        assert (
            lines[2].startswith(f"• <#{gone}> — the Artemis Accords, since ")
            and "**not posting**: 404" in lines[2]
        )
        assert lines[-1] == "Auto-approval is off: an admin approves each piece of news (/registry pending)."
        assert await bot.announcer.deliver_pending() == 0
        assert len(posts_to(fake, news)) == 1

    # while the bot is down, another signing is ingested and approved from the command line
    svc.ingest(data=SERBIA, filename="serbia.md", who="tester")
    [serbia] = svc.catalog.proposals()
    svc.registry_editor.approve(serbia.id, "tester (command line)")

    # a restarted bot posts what was waiting, and nothing it had posted before
    async with running_bot(fake, svc, monkeypatch) as bot:
        second = await fake.wait_for_message(news, lambda m: m["id"] != post["id"], timeout=10)
        assert second["content"].startswith(
            "Serbia signed the Artemis Accords on 1 April 2026, the 61st signatory [1]."
        )
        await bot.announcer.deliver_pending()
        await asyncio.sleep(0.2)
        assert [m["content"].split(" ")[0] for m in fake.bot_messages(news)] == ["Vietnam", "Serbia"]
        assert posts_to(fake, ilrs_news) == [] and len(posts_to(fake, gone)) == 1  # a broken watch: not again

        # /watch off stops it (a non-admin cannot)
        refused = await fake.invoke_command(
            "watch", {"channel": news}, subcommand="off", user=fake.plain_user
        )
        assert (await refused.wait_callback())["data"]["content"] == ONLY_ADMINS
        off = await fake.invoke_command("watch", {"channel": news}, subcommand="off", user=fake.admin_user)
        assert (
            await reply_of(off)
            == f"<#{news}> gets no more membership news; news not posted there yet is dropped."
        )
        assert [str(w.channel_id) for w in svc.catalog.watches()] == [ilrs_news, gone]

        # a watched channel deleted while the bot is online is no longer watched
        channel = fake.channels.pop(ilrs_news)
        fake.guilds[fake.guild_id]["channel_ids"].remove(ilrs_news)
        await fake.dispatch("CHANNEL_DELETE", channel, fake.guild_id)
        await eventually(lambda: [str(w.channel_id) for w in svc.catalog.watches()] == [gone])
    assert not fake.schema_violations


@pytest.mark.both_catalogs
async def test_news_approved_by_another_process_is_posted_by_the_running_bot_on_either_catalog(
    discord_errors, fake_discord: FakeDiscord, svc: Services, monkeypatch
) -> None:
    fake = fake_discord
    news = fake.add_text_channel(fake.guild_id, "space-news")
    add_article(svc, "vietnam-signs", VIETNAM)
    svc.reindex()
    async with running_bot(fake, svc, monkeypatch, announce_poll_seconds=0.2):
        on = await fake.invoke_command(
            "watch", {"channel": news, "coalition": "artemis_accords"}, subcommand="on", user=fake.admin_user
        )
        await reply_of(on)
        # the command line (`registry approve`): its own services on the same catalog, which cannot post
        cli = await asyncio.to_thread(Services, svc.settings)
        try:
            [proposal] = cli.catalog.proposals()
            await asyncio.to_thread(cli.registry_editor.approve, proposal.id, "tester (command line)")
        finally:
            cli.close()
        post = await fake.wait_for_message(news, timeout=10)  # found at the bot's next look
        assert post["content"] == (
            "Vietnam signed the Artemis Accords on 3 March 2026, the 61st signatory [1].\n"
            "[1] [vietnam signs](https://example.org/vietnam-signs) — Test Wire · 4 Mar 2026"
        )
        await eventually(lambda: svc.catalog.deliveries(SENT))
        await asyncio.sleep(0.5)  # a few more looks
        assert len(posts_to(fake, news)) == 1


async def test_with_auto_approval_an_ingested_signing_is_approved_and_posted_without_an_admin_pressing_approve(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services: Services, monkeypatch
) -> None:
    fake, svc = fake_discord, own_corpus_services
    news = fake.add_text_channel(fake.guild_id, "space-news")
    async with running_bot(fake, svc, monkeypatch):
        refused = await fake.invoke_command(
            "watch", {"threshold": 0.85}, subcommand="auto", user=fake.plain_user
        )
        assert (await refused.wait_callback())["data"]["content"] == ONLY_ADMINS
        assert svc.auto_approve_threshold() is None
        auto = await fake.invoke_command(
            "watch", {"threshold": 0.85}, subcommand="auto", user=fake.admin_user
        )
        assert (await reply_of(auto)).startswith(
            "Auto-approval is on for every server of this bot: a new member or a later status read from a new "
            "article with confidence 0.85 or more"
        )
        await reply_of(
            await fake.invoke_command("watch", {"channel": news}, subcommand="on", user=fake.admin_user)
        )

        ingest = await fake.invoke_command("ingest", {"file": ("serbia.md", SERBIA)}, user=fake.admin_user)
        done = await ingest.wait_original(lambda m: " indexed as `" in (m.get("content") or ""), timeout=60)
        assert done["content"].splitlines()[1] == (
            "1 joining or signing was read with enough confidence to be approved into the members registry "
            "automatically (/watch auto) and announced in watched channels; /registry undo takes the latest back."
        )
        [proposal] = svc.catalog.proposals(None)
        assert (
            proposal.state == "approved" and proposal.decided_by == "auto-approval (confidence 0.90 >= 0.85)"
        )
        post = await fake.wait_for_message(news, timeout=10)
        assert post["content"].startswith(
            "Serbia signed the Artemis Accords on 1 April 2026, the 60th signatory [1]."
        )
        listed = await fake.invoke_command("watch", subcommand="list", user=fake.admin_user)
        assert (await reply_of(listed)).splitlines()[-1] == (
            "Auto-approval: news read with confidence 0.85 or more is approved without an admin."
        )
    assert len(posts_to(fake, news)) == 1
