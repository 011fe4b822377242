"""Admin tools stay with the admin: private /status, /reindex and /ingest, progress that moves per article
at a pace Discord allows, and a public one-line summary only when asked for. /help is private too."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import threading
from itertools import pairwise

import pytest
import yaml

from bot.progress import ReindexProgress
from retrieval.services import Services
from tests.e2e.conftest import running_bot
from tests.fakediscord import FakeDiscord

pytestmark = [
    pytest.mark.filterwarnings("ignore:PyNaCl is not installed"),
    pytest.mark.filterwarnings("ignore:davey is not installed"),
]


def embed_of(message: dict) -> dict:
    return (message.get("embeds") or [{}])[0]


def fields_of(message: dict) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed_of(message).get("fields") or []}


async def test_status_is_private_and_says_how_fresh_the_corpus_is_with_discord_timestamps(
    discord_errors, fake_discord: FakeDiscord, corpus_services: Services, monkeypatch
) -> None:
    async with running_bot(fake_discord, corpus_services, monkeypatch):
        record = await fake_discord.invoke_command("status", user=fake_discord.plain_user)
        status = await record.wait_original(lambda m: m.get("embeds"))
        helped = await fake_discord.invoke_command("help")
        card = (await helped.wait_callback())["data"]
    assert record.ephemeral and record.callback == {"type": 5, "data": {"flags": 64}}
    fields = fields_of(status)
    assert (
        fields["Articles"].startswith("104 articles (104 of them summaries written for this corpus)")
        and "\nNewest: 3 Dec 2025, “" in fields["Articles"]
    )
    newest = corpus_services.catalog.documents()[0]
    assert (newest.published, newest.title[:20]) == ("2025-12-03", fields["Articles"].split("“")[1][:20])
    # the last refresh as Discord timestamps (each reader sees their own time zone), then what it did
    refreshed = dt.datetime.fromisoformat(corpus_services.catalog.get_meta("last_index_at") or "")
    stamp = int(refreshed.replace(tzinfo=refreshed.tzinfo or dt.UTC).timestamp())
    report = json.loads(corpus_services.catalog.get_meta("last_index_report") or "{}")
    assert fields["Last refresh"] == (
        f"<t:{stamp}:R> (<t:{stamp}:f>)\n{report['added']} added, {report['updated']} updated, "
        f"{report['unchanged']} unchanged, {report['deleted']} deleted, {len(report['skipped'])} skipped"
    )
    assert fields["Members registry"] == "Latest joining: 27 October 2025"
    assert fields["Answers"].startswith("Offline") and re.fullmatch(
        r"\d+ answers · \d+ 👍 · \d+ 👎", fields["Feedback"]
    )
    assert "Chroma" not in str(status) and "chunk" not in str(status)
    assert card["flags"] == 64 and card["embeds"][0]["title"] == "How to use coalition-bot"
    usage = {f["name"]: f["value"] for f in card["embeds"][0]["fields"]}
    assert "mention me" in usage["Follow-ups"]  # the default: no Message Content intent
    assert usage["Where answers come from"].endswith(f"; last refreshed <t:{stamp}:R>.")


async def test_reindex_progress_moves_per_article_one_edit_per_pause_and_stays_private(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services: Services, monkeypatch
) -> None:
    fake = fake_discord
    gate = threading.Semaphore(0)  # the reindex embeds only when the progress loop lets it: no clock involved
    embedder = own_corpus_services.embedder
    real = embedder.embed_with_sentences

    def gated(texts, sentences):  # type: ignore[no-untyped-def]
        assert gate.acquire(timeout=30), "the progress loop stopped pausing"
        return real(texts, sentences)

    def progress_edits() -> list[str]:
        return [
            r.json["content"]
            for r in fake.requests
            if r.method == "PATCH"
            and "@original" in r.path
            and (r.json or {}).get("content", "").startswith("Reindexing")
        ]

    edits_at_pause: list[int] = []

    async def lockstep(self: ReindexProgress) -> None:
        """The pause, in lockstep with the reindex: one embedding call, then wait until it shows."""
        edits_at_pause.append(len(progress_edits()))
        gate.release()
        while self.text() == self._shown:
            await asyncio.sleep(0.01)

    monkeypatch.setattr(embedder, "embed_with_sentences", gated)
    monkeypatch.setattr(ReindexProgress, "pace", lockstep)
    async with running_bot(fake, own_corpus_services, monkeypatch):
        record = await fake.invoke_command("reindex", {"full": True, "announce": True}, user=fake.admin_user)
        final = await record.wait_original(
            lambda m: "Reindex finished" in (m.get("content") or ""), timeout=60
        )
        announced = await fake.wait_for_message(fake.channel_id, lambda m: m["content"].startswith("📚"))
    assert record.ephemeral and final["content"].startswith("Reindex finished in ")
    assert "0 added, 104 updated, 0 unchanged, 0 deleted" in final["content"]
    progress = progress_edits()
    assert progress[0] == "Reindexing… reading the articles folder"
    done = [
        int(m.group(1)) for p in progress if (m := re.match(r"Reindexing… (\d+) of 104 articles done", p))
    ]
    assert (
        len(set(done)) >= 3 and done == sorted(done) and done[-1] > done[0]
    )  # it moves as articles are done
    assert any(re.search(r" · \d+ of \d+ new passages embedded$", p) for p in progress)
    # throttled: an edit, then a pause, never two edits without a pause between them
    assert edits_at_pause[0] == 1 and all(b - a <= 1 for a, b in pairwise(edits_at_pause))
    assert len(progress) <= len(edits_at_pause) + 1
    assert (
        announced["content"]
        == "📚 The article index was refreshed: 0 added, 104 updated, 0 unchanged, 0 deleted."
    )
    assert not announced["flags"] & 64 and "Reindex finished" not in str(fake.bot_messages(fake.channel_id))


async def test_ingest_takes_the_date_from_the_file_reports_privately_and_can_announce_in_one_line(
    discord_errors, fake_discord: FakeDiscord, own_corpus_services: Services, monkeypatch
) -> None:
    from tests.integration.test_ingest import _pdf

    report = _pdf(
        "Freedonia joined the ILRS on 5 May 2026 with an MoU signed in Beijing.", "D:20260506093000Z"
    )
    dated = (
        b"---\nid: ruritania-joins\ntitle: Ruritania joins the ILRS\npublished: 2026-04-01\n"
        b"outlet: Ruritanian Wire\n---\n\nRuritania joined the International Lunar Research Station on "
        b"1 April 2026, its space agency said in a statement.\n"
    )
    fake = fake_discord
    corpus = own_corpus_services.settings.corpus_dir
    async with running_bot(fake, own_corpus_services, monkeypatch):
        record = await fake.invoke_command(
            "ingest", {"file": ("freedonia.pdf", report), "announce": True}, user=fake.admin_user
        )
        done = await record.wait_original(lambda m: " indexed as `" in (m.get("content") or ""), timeout=30)
        announced = await fake.wait_for_message(fake.channel_id, lambda m: m["content"].startswith("📰"))
        markdown = await fake.invoke_command(
            "ingest", {"file": ("ruritania.md", dated)}, user=fake.admin_user
        )
        front = await markdown.wait_original(
            lambda m: " indexed as `" in (m.get("content") or ""), timeout=30
        )
    assert record.ephemeral and "(6 May 2026)" in done["content"]  # the date from the PDF's metadata
    assert done["content"].endswith(" (no link: none was given with the file)")
    assert announced["content"] == (
        "📰 New in the articles: Freedonia joined the ILRS on 5 May 2026 with an MoU signed in Beijing. — 6 May 2026"
    )  # a plain title: there is no link to give it
    assert not announced["flags"] & 64 and announced["flags"] & 4  # public, and no link preview either
    assert markdown.ephemeral and front["content"].startswith(
        "Added “Ruritania joins the ILRS” (Ruritanian Wire, 1 Apr 2026)"  # the date from its front matter
    )
    assert front["content"].endswith(" (no link: none was given with the file)")
    for name, date in (("freedonia", "2026-05-06"), ("ruritania", "2026-04-01")):
        (saved,) = corpus.glob(f"ingested-{name}-*.md")
        meta = yaml.safe_load(saved.read_text(encoding="utf-8").split("---")[1])
        assert str(meta["published"]) == date and "url" not in meta and "sources" not in meta  # none made up
        (indexed,) = [d for d in own_corpus_services.catalog.documents() if d.doc_id == saved.stem]
        assert (indexed.published, indexed.url) == (date, "")
